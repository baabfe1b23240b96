import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The project's import rules (docs/architecture.md), as a checker the unit tests
 * run over the source tree. Dependencies point one way:
 *
 *   components ──▶ app/contracts ──▶ db/vocabulary, worker/job-state (plain values)
 *   app ──▶ components, db, worker (shared vocabulary only)
 *   worker ──▶ db        db ──▶ nothing of ours
 */

export interface SourceFile {
  /** Repository-relative path, e.g. `components/jobs/jobs-table.tsx`. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  spec: string;
  rule: string;
}

/** Packages that only server code may load: drivers, the auth library, Next.js server APIs. */
const SERVER_PACKAGES = [
  'postgres',
  'bullmq',
  'ioredis',
  'drizzle-orm',
  'better-auth',
  'server-only',
  'next/headers',
  'next/server',
];
/** What the worker side and the data layer must not load: they run outside Next.js. */
const NEXT_ONLY = ['next', 'server-only', 'react', 'react-dom'];
/** worker/ modules the dashboard may use: the vocabulary both sides share, and reading jobs' facts by it. */
const WORKER_VOCABULARY = [
  'worker/config',
  'worker/marker',
  'worker/job-state',
  'worker/job-facts',
];
/** What app/contracts (loaded by client components) may load at run time. */
const CONTRACT_RUNTIME = ['db/vocabulary', 'db/storable', 'worker/job-state', 'worker/marker'];

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Import {
  spec: string;
  typeOnly: boolean;
}

export function importsOf(text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT))
    out.push({ spec: m[3] as string, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(DYNAMIC)) out.push({ spec: m[1] as string, typeOnly: false });
  return out;
}

/** An import as a repository path without extension, or null for a package. */
function target(file: string, spec: string): string | null {
  if (spec.startsWith('@/')) return spec.slice(2).replace(/\/index$/, '');
  if (spec.startsWith('.')) {
    return normalize(join(dirname(file), spec))
      .replace(/\.(tsx?|js)$/, '')
      .replace(/\/index$/, '');
  }
  return null;
}

const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const packageOf = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
const isPackage = (spec: string, names: readonly string[]) =>
  names.some((n) => spec === n || spec.startsWith(`${n}/`)) || names.includes(packageOf(spec));

/** Every rule broken by one file's imports. */
export function checkFile(file: SourceFile): Violation[] {
  const out: Violation[] = [];
  const f = file.path;
  const bad = (spec: string, rule: string) => out.push({ file: f, spec, rule });
  for (const { spec, typeOnly } of importsOf(file.text)) {
    const t = target(f, spec);
    if (under(f, 'db')) {
      if (t && !under(t, 'db')) bad(spec, 'db/ imports nothing of ours outside db/');
      if (!t && isPackage(spec, NEXT_ONLY)) bad(spec, 'db/ runs outside Next.js');
    } else if (under(f, 'worker')) {
      if (t && (under(t, 'app') || under(t, 'components')))
        bad(spec, 'worker/ never imports dashboard code');
      if (t && under(f, 'worker/toolkit') && under(t, 'worker/samples'))
        bad(spec, 'the toolkit does not import the samples');
      if (!t && isPackage(spec, NEXT_ONLY)) bad(spec, 'worker/ runs outside Next.js');
    } else if (under(f, 'components')) {
      if (t && !under(t, 'components') && !under(t, 'app/contracts'))
        bad(spec, 'components import only components/ and app/contracts');
      if (!t && isPackage(spec, SERVER_PACKAGES))
        bad(spec, 'components never load server-only code');
    } else if (under(f, 'app/contracts')) {
      if (!typeOnly && t && !under(t, 'app/contracts') && !CONTRACT_RUNTIME.includes(t))
        bad(spec, 'app/contracts loads only plain vocabulary at run time (it reaches the browser)');
      if (!typeOnly && !t && isPackage(spec, SERVER_PACKAGES))
        bad(spec, 'app/contracts never loads server-only code');
    } else if (under(f, 'app')) {
      if (t && under(t, 'worker') && !WORKER_VOCABULARY.includes(t))
        bad(spec, 'the dashboard uses only the shared vocabulary of worker/');
    }
  }
  return out;
}

/** The project's TypeScript sources under the given folders. */
export function sourceFiles(root: string, folders: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(name))
        out.push({ path: relative(root, full), text: readFileSync(full, 'utf8') });
    }
  };
  for (const f of folders) walk(join(root, f));
  return out;
}
