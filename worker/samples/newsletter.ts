import { getDb } from '../../db/client';
import { recipientBatch, recordSends } from '../../db/samples';
import { createSignalWorker } from '../toolkit';
import { type NewsletterJob, pause, SAMPLE_QUEUES, type SampleWorkerOptions } from './queues';

interface NewsletterState {
  /** Last recipient id reached; the next batch starts after it. */
  afterId: number;
  batch: number;
  sent: number;
}

/**
 * Newsletter send in batches to the recipients table. Each batch is recorded in
 * newsletter_sends under a unique (job, recipient) index, so a resumed or
 * retried job never sends a batch twice. Cancel logs how far it got: mail
 * already sent cannot be unsent, and nothing else is half-done.
 */
export function startNewsletterWorker({
  concurrency = 2,
  queue = SAMPLE_QUEUES.newsletter,
}: SampleWorkerOptions = {}) {
  return createSignalWorker<NewsletterJob, { sent: number; batches: number }, NewsletterState>(
    queue,
    async (job, ctx) => {
      const { db } = getDb();
      let state: NewsletterState = ctx.resumeState ?? { afterId: 0, batch: 0, sent: 0 };
      if (state.batch > 0)
        await job.log(`resuming after batch ${state.batch} (${state.sent} sent)`);
      for (;;) {
        await ctx.checkpoint(state);
        const batch = await recipientBatch(db, job.data.list, state.afterId, job.data.batchSize);
        if (batch.length === 0) break;
        await pause(job.data.batchMs, ctx.abortSignal); // "sending"
        const fresh = await recordSends(
          db,
          String(job.id),
          state.batch + 1,
          batch.map((r) => r.id),
        );
        state = {
          afterId: batch.at(-1)?.id ?? state.afterId,
          batch: state.batch + 1,
          sent: state.sent + fresh,
        };
        await job.updateProgress(
          Math.min(100, Math.round((state.sent / Math.max(job.data.recipients, 1)) * 100)),
        );
      }
      await job.log(
        `sent issue ${job.data.issue} to ${state.sent} recipients in ${state.batch} batches`,
      );
      return { sent: state.sent, batches: state.batch };
    },
    {
      concurrency,
      onCancel: async (job, { state }) => {
        await job.log(
          `cancelled after ${state?.batch ?? 0} batches (${state?.sent ?? 0} sent); the rest will not be sent`,
        );
      },
    },
  );
}
