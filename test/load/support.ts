/**
 * Helpers of the load and outage tests: latency figures, the results file
 * (test-results/load.json, one section per test), a real email + password sign-in
 * against a started dashboard, and a BullMQ prefix of their own on the shared Redis.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import { producerConnection } from '../../worker/config';
import { ROOT } from '../e2e/build';
import { deletePrefix } from '../e2e/harness';

export const RESULTS_FILE = join(ROOT, 'test-results/load.json');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile (p in 0..100) of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Merges `data` into test-results/load.json under `section` (each test file writes its own). */
export function recordResult(section: string, data: Record<string, unknown>): void {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  let all: Record<string, unknown> = {};
  if (existsSync(RESULTS_FILE)) {
    try {
      all = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
  }
  all[section] = { ...data, at: new Date().toISOString() };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(all, null, 2)}\n`);
}

/**
 * Signs in through better-auth's own endpoint, as the sign-in form does, and
 * returns the Cookie header that carries the session.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
    redirect: 'manual',
  });
  if (res.status !== 200)
    throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c.includes('='))
    .join('; ');
  if (!cookie.includes('session_token=')) throw new Error(`sign-in set no session cookie`);
  return cookie;
}

/** A BullMQ prefix of the test's own on the shared Redis; `drop()` deletes its keys only. */
export function ownPrefix(label: string, redisUrl: string) {
  const prefix = `${label}-${randomBytes(4).toString('hex')}`;
  const registry = new QueueRegistry(producerConnection(redisUrl), prefix, true);
  return {
    prefix,
    registry,
    async drop() {
      await deletePrefix(registry, prefix).catch(() => {});
      await registry.close();
    },
  };
}

/** Whether the process still exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
