import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import { producerConnection } from '../../worker/config';
import { readMarker } from '../../worker/marker';
import { SAMPLE_QUEUES } from '../../worker/samples/queues';
import { waitFor } from '../helpers';
import { E2E_DIST_DIR, ensureBuild, ROOT } from './build';
import { deletePrefix } from './harness';
import { freePort } from './processes';

const prefix = `e2e-demo-${randomBytes(4).toString('hex')}`;
const registry = new QueueRegistry(producerConnection(), prefix, true);
const dataDir = mkdtempSync(join(tmpdir(), 'signal-desk-demo-'));
afterAll(async () => {
  await deletePrefix(registry, prefix).catch(() => {});
  await registry.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('one Ctrl-C: the workers hand their running jobs back once, then everything exits', async () => {
    await ensureBuild();
    const port = await freePort();
    // `npm run demo` in a terminal: the demo leads the terminal's process group,
    // and Ctrl-C sends SIGINT to that whole group.
    const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        NEXT_DIST_DIR: E2E_DIST_DIR,
        BULLMQ_PREFIX: prefix,
        SIGNAL_DESK_DATA_DIR: dataDir,
      },
    });
    let output = '';
    demo.stdout.on('data', (d) => {
      output += String(d);
    });
    demo.stderr.on('data', (d) => {
      output += String(d);
    });
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    try {
      await waitFor(() => output.includes('Signal Desk is running'), 'the demo up', 120_000);
      const queues = Object.values(SAMPLE_QUEUES).map((q) => registry.get(q));
      const running = async () =>
        (await Promise.all(queues.map((q) => q.getActive()))).flat().map((j) => ({
          queue: j.queueName,
          id: String(j.id),
        }));
      await waitFor(async () => (await running()).length >= 2, 'sample jobs running', 60_000);
      const wereRunning = await running();

      process.kill(-(demo.pid as number), 'SIGINT');
      expect(await exited).toBe(0);

      expect(output).toContain('handing running jobs back');
      expect(output).not.toContain('again: exiting now');
      expect(output).toContain('all stopped.');
      // No job is left active for BullMQ's stall check: each went back to waiting,
      // with the state of its last checkpoint saved for whoever resumes it.
      expect(await running()).toEqual([]);
      for (const { queue, id } of wereRunning) {
        const job = await registry.get(queue).getJob(id);
        expect(await job?.getState()).toBe('waiting');
        expect(readMarker(job?.data)?.hasState).toBe(true);
      }
    } finally {
      if (demo.exitCode === null) process.kill(-(demo.pid as number), 'SIGKILL');
    }
  });
});
