import { assertDatabaseReachable, getDb } from '../../db/client';
import { seedRecipients } from '../../db/samples';
import { closeOnSignals } from '../toolkit';
import { NEWSLETTER_LIST, NEWSLETTER_SIZE } from './enqueue';
import { startNewsletterWorker } from './newsletter';
import { startReportsWorker } from './reports';
import { startThumbnailsWorker } from './thumbnails';

/** `npm run worker`: the three sample workers in one process, closed gracefully on SIGINT/SIGTERM. */
async function main() {
  // Fails with a message naming DATABASE_URL instead of a driver stack trace.
  await assertDatabaseReachable();
  await seedRecipients(getDb().db, NEWSLETTER_LIST, NEWSLETTER_SIZE);
  const concurrency = Number(process.env.SAMPLE_CONCURRENCY) || 2;
  const workers = [
    startReportsWorker({ concurrency }),
    startThumbnailsWorker({ concurrency }),
    startNewsletterWorker({ concurrency }),
  ];
  for (const w of workers) {
    w.on('active', (job) => console.log(`${w.name}: started ${job.id} (${job.name})`));
    w.on('failed', (job, err) => console.log(`${w.name}: ${job?.id} failed: ${err.message}`));
    w.on('completed', (job) => console.log(`${w.name}: completed ${job.id}`));
  }
  console.log(
    `sample workers up: ${workers.map((w) => w.name).join(', ')} (concurrency ${concurrency} each)`,
  );
  closeOnSignals(workers, () => {
    getDb()
      .sql.end({ timeout: 2 })
      .finally(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
