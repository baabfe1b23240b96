import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import { requestSignal } from '../../app/requests/request-signal';
import { openDb } from '../../db/client';
import { jobHistory } from '../../db/job-signals';
import { connectRedis, producerConnection } from '../../worker/config';
import { createSignalWorker } from '../../worker/toolkit';
import { sleep, uniqueQueue, waitFor } from '../helpers';
import { freePort, waitForPort } from './services';

const run = promisify(execFile);
const PREFIX = '{bull}';
const dir = mkdtempSync(join(tmpdir(), 'signal-desk-cluster-'));
const ports: number[] = [];
let url = '';
const handle = openDb(process.env.DATABASE_URL, { max: 2 });
let registry: QueueRegistry;

/** A throwaway three-master Redis Cluster on spare ports. */
beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    ports.push(port);
    await run('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      join(dir, `${port}.pid`),
    ]);
    await waitForPort(port);
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  await waitFor(async () => {
    const { stdout } = await run('redis-cli', ['-p', String(ports[0]), 'cluster', 'info']);
    return stdout.includes('cluster_state:ok');
  }, 'cluster ready');
  url = `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
  registry = new QueueRegistry(producerConnection(url), PREFIX, true);
}, 60_000);

afterAll(async () => {
  await registry?.close();
  await handle.sql.end({ timeout: 2 });
  for (const p of ports)
    await run('redis-cli', ['-p', String(p), 'shutdown', 'nosave']).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis Cluster', () => {
  it('a redis-cluster:// URL with a hash-tagged prefix: queues are discovered, a running job is cancelled and a queued one paused', async () => {
    const q = uniqueQueue('cluster');
    const workers: Worker[] = [];
    try {
      const worker = createSignalWorker(
        q,
        async (_job, ctx) => {
          for (;;) {
            await ctx.checkpoint();
            await sleep(5);
          }
        },
        {
          connection: connectRedis(url, { maxRetriesPerRequest: null }),
          prefix: PREFIX,
          concurrency: 1,
        },
      );
      workers.push(worker);
      const queue = registry.get(q);
      const running = await queue.add('loop', {});
      const queued = await queue.add('loop', {}, { delay: 60_000 });
      await waitFor(async () => (await running.getState()) === 'active', 'job active');
      expect(await registry.discover()).toContain(q);

      const deps = { db: handle.db, queues: registry };
      expect(
        (
          await requestSignal(deps, {
            queue: q,
            jobId: running.id!,
            signal: 'cancel',
            requestedBy: 't',
          })
        ).ok,
      ).toBe(true);
      expect(
        (
          await requestSignal(deps, {
            queue: q,
            jobId: queued.id!,
            signal: 'pause',
            requestedBy: 't',
          })
        ).ok,
      ).toBe(true);
      await waitFor(async () => (await running.getState()) === 'failed', 'cancelled');
      await waitFor(
        async () => (await jobHistory(handle.db, q, queued.id!))[0]?.status === 'completed',
        'parked',
      );
      expect((await queue.getJob(running.id!))?.failedReason).toMatch(/^cancelled/);
      const detail = await queue.getJob(queued.id!);
      expect(
        (detail?.data as { __signalDesk?: { paused?: unknown } } | undefined)?.__signalDesk?.paused,
      ).toBeTruthy();
    } finally {
      await Promise.all(workers.map((w) => w.close(true)));
    }
  });
});
