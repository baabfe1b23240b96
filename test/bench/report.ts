import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { Sql } from '../../db/client';
import type { RedisClient } from '../../worker/config';
import { round } from './stats';

export interface BenchResult {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
  /** How many times better ours is than the baseline (> 1: ours wins), whatever the unit's direction. */
  ratio: number;
  runs: number;
  notes: string;
}

export interface Machine {
  cpus: number;
  memory: string;
  node: string;
  postgres: string;
  redis: string;
}

/** Builds a result; `ratio` is baseline/ours for lower-is-better units, ours/baseline otherwise. */
export function result(r: Omit<BenchResult, 'ratio'> & { higherIsBetter?: boolean }): BenchResult {
  const ratio = r.higherIsBetter ? r.ours / r.baseline : r.baseline / r.ours;
  return {
    name: r.name,
    ours: round(r.ours),
    baseline: round(r.baseline),
    unit: r.unit,
    ratio: round(ratio),
    runs: r.runs,
    notes: r.notes,
  };
}

export async function describeMachine(sql: Sql, redis: RedisClient): Promise<Machine> {
  const [pg] = await sql<{ server_version: string }[]>`show server_version`;
  const info = await redis.info('server');
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  return {
    cpus: cpus().length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgres: pg?.server_version ?? 'unknown',
    redis: redisVersion,
  };
}

const COLUMNS = ['benchmark', 'ours', 'baseline', 'unit', 'ratio', 'runs'] as const;

function cells(r: BenchResult): string[] {
  return [r.name, String(r.ours), String(r.baseline), r.unit, `${r.ratio}x`, String(r.runs)];
}

/** The results as a Markdown table (also readable in a terminal). */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = [COLUMNS as readonly string[], ...results.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 || i === 3 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(COLUMNS), rule, ...results.map((r) => line(cells(r)))].join('\n');
}

export function formatNotes(results: readonly BenchResult[]): string {
  return results.map((r) => `- ${r.name}: ${r.notes}`).join('\n');
}

export async function writeJson(
  file: string,
  machine: Machine,
  results: readonly BenchResult[],
): Promise<void> {
  await writeFile(file, `${JSON.stringify({ machine, results }, null, 2)}\n`);
}
