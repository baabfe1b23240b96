import { appendFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { createSignalWorker } from '../toolkit';
import { dataDir, pause, type ReportJob, SAMPLE_QUEUES, type SampleWorkerOptions } from './queues';

interface ReportState {
  /** Next page to render; pages before it are already in the partial file. */
  page: number;
}

const partialPath = (job: Job) => join(dataDir(), 'reports', `${job.id}.csv.partial`);
const finalPath = (job: Job) => join(dataDir(), 'reports', `${job.id}.csv`);

/**
 * Report export: renders pages into a partial CSV file, then renames it. Cancel
 * removes the partial file; resume continues at the next page, appending.
 */
export function startReportsWorker({
  concurrency = 2,
  queue = SAMPLE_QUEUES.reports,
}: SampleWorkerOptions = {}) {
  return createSignalWorker<ReportJob, { file: string; pages: number }, ReportState>(
    queue,
    async (job, ctx) => {
      await mkdir(join(dataDir(), 'reports'), { recursive: true });
      let page = ctx.resumeState?.page ?? 0;
      if (page === 0) await rm(partialPath(job), { force: true });
      else await job.log(`resuming at page ${page + 1} of ${job.data.pages}`);
      for (; page < job.data.pages; page++) {
        await ctx.checkpoint({ page });
        await pause(job.data.pageMs, ctx.abortSignal);
        const rows = Array.from(
          { length: 20 },
          (_, r) => `${page + 1},${r + 1},${(page * 31 + r * 17) % 997}`,
        );
        await appendFile(partialPath(job), `${rows.join('\n')}\n`);
        await job.updateProgress(Math.round(((page + 1) / job.data.pages) * 100));
        if ((page + 1) % 10 === 0) await job.log(`rendered ${page + 1} of ${job.data.pages} pages`);
      }
      await rename(partialPath(job), finalPath(job));
      return { file: finalPath(job), pages: job.data.pages };
    },
    {
      concurrency,
      onCancel: async (job, { state }) => {
        // Nothing may have been written yet; rm with force copes.
        await rm(partialPath(job), { force: true });
        await job.log(`cancelled at page ${(state?.page ?? 0) + 1}; partial file removed`);
      },
    },
  );
}
