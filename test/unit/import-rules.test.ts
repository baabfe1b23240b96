import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, importsOf, sourceFiles } from '../import-rules';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('import rules (docs/architecture.md)', () => {
  it('the source tree follows them', () => {
    const files = sourceFiles(root, ['app', 'components', 'db', 'worker']);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(checkFile)).toEqual([]);
  });

  it('reads static, type-only, re-export and dynamic imports', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '@/db/schema';",
      "export { c } from '../c';",
      "import 'server-only';",
      "const m = await import('bullmq');",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a', typeOnly: false },
      { spec: '@/db/schema', typeOnly: true },
      { spec: '../c', typeOnly: false },
      { spec: 'server-only', typeOnly: false },
      { spec: 'bullmq', typeOnly: false },
    ]);
  });

  it('a component that imports server code, db/ or worker/ breaks them', () => {
    const file = (text: string) => ({ path: 'components/jobs/x.tsx', text });
    expect(checkFile(file("import { getDb } from '@/db/client';"))).toHaveLength(1);
    expect(checkFile(file("import type { JobSignal } from '../../db/schema';"))).toHaveLength(1);
    expect(checkFile(file("import { JOB_STATES } from '@/worker/job-state';"))).toHaveLength(1);
    expect(
      checkFile(file("import { requestSignalAction } from '@/app/actions/request-signal';")),
    ).toHaveLength(1);
    expect(checkFile(file("import postgres from 'postgres';"))).toHaveLength(1);
    expect(checkFile(file("import { headers } from 'next/headers';"))).toHaveLength(1);
    expect(checkFile(file("import type { JobRow } from '@/app/contracts';"))).toEqual([]);
    expect(checkFile(file("import { Button } from '../ui/button';"))).toEqual([]);
  });

  it('db/ that imports anything of ours, or Next.js, breaks them', () => {
    const file = (text: string) => ({ path: 'db/x.ts', text });
    expect(checkFile(file("import { bullPrefix } from '../worker/config';"))).toHaveLength(1);
    expect(checkFile(file("import type { JobRow } from '@/app/contracts';"))).toHaveLength(1);
    expect(checkFile(file("import 'server-only';"))).toHaveLength(1);
    expect(checkFile(file("import { jobSignals } from './schema';"))).toEqual([]);
    expect(checkFile(file("import { sql } from 'drizzle-orm';"))).toEqual([]);
  });

  it('the toolkit that imports dashboard code breaks them', () => {
    const file = (text: string) => ({ path: 'worker/toolkit/x.ts', text });
    expect(checkFile(file("import { listJobs } from '../../app/bullmq/job-list';"))).toHaveLength(
      1,
    );
    expect(checkFile(file("import { cn } from '@/components/ui/cn';"))).toHaveLength(1);
    expect(checkFile(file("import { headers } from 'next/headers';"))).toHaveLength(1);
    expect(checkFile(file("import { openDb } from '../../db/client';"))).toEqual([]);
  });

  it('the dashboard may use only the shared vocabulary of worker/', () => {
    const file = (text: string) => ({ path: 'app/jobs/load.ts', text });
    expect(checkFile(file("import { JobRun } from '@/worker/toolkit/job-run';"))).toHaveLength(1);
    expect(checkFile(file("import { nameState } from '@/worker/job-state';"))).toEqual([]);
  });

  it('app/contracts loads nothing but plain vocabulary at run time', () => {
    const file = (text: string) => ({ path: 'app/contracts/x.ts', text });
    expect(checkFile(file("import { jobSignals } from '@/db/schema';"))).toHaveLength(1);
    expect(checkFile(file("import type { JobSignal } from '@/db/schema';"))).toEqual([]);
    expect(checkFile(file("export { SIGNAL_KINDS } from '@/db/vocabulary';"))).toEqual([]);
  });
});
