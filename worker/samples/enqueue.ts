import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { assertDatabaseReachable, getDb } from '../../db/client';
import { seedRecipients } from '../../db/samples';
import { bullPrefix, producerConnection } from '../config';
import { type NewsletterJob, type ReportJob, SAMPLE_QUEUES, type ThumbnailJob } from './queues';

export const NEWSLETTER_LIST = 'weekly';
export const NEWSLETTER_SIZE = 2000;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
const REPORTS = ['monthly-revenue', 'churn-by-plan', 'invoices-overdue', 'usage-by-region'];
const ISSUES = ['november', 'product-update', 'security-notice'];

/** Adds one sample job of each kind (or of `only`), with realistic names and payloads. */
export async function enqueueSamples(
  registry: { get(name: string): Queue },
  only?: keyof typeof SAMPLE_QUEUES,
): Promise<number> {
  const add = (q: Queue, name: string, data: unknown) =>
    q.add(name, data, { attempts: 3, backoff: { type: 'exponential', delay: 1000 } });
  let n = 0;
  if (!only || only === 'reports') {
    const data: ReportJob = {
      pages: 30 + Math.floor(Math.random() * 40),
      pageMs: 300,
      title: pick(REPORTS),
    };
    await add(registry.get(SAMPLE_QUEUES.reports), `export-${data.title}`, data);
    n++;
  }
  if (!only || only === 'thumbnails') {
    const data: ThumbnailJob = {
      images: 20 + Math.floor(Math.random() * 30),
      size: 256,
      thumb: 32,
      seed: Math.floor(Math.random() * 250) + 1,
    };
    await add(registry.get(SAMPLE_QUEUES.thumbnails), 'make-thumbnails', data);
    n++;
  }
  if (!only || only === 'newsletter') {
    const data: NewsletterJob = {
      list: NEWSLETTER_LIST,
      recipients: NEWSLETTER_SIZE,
      issue: pick(ISSUES),
      batchSize: 100,
      batchMs: 800,
    };
    await add(registry.get(SAMPLE_QUEUES.newsletter), 'send-newsletter', data);
    n++;
  }
  return n;
}

/** One producer-side Queue per sample queue, sharing one fail-fast connection. */
function sampleQueues() {
  const connection = producerConnection();
  connection.on('error', () => {});
  const queues = new Map<string, Queue>();
  return {
    get(name: string): Queue {
      let q = queues.get(name);
      if (!q) {
        q = new Queue(name, { connection, prefix: bullPrefix() });
        q.on('error', (err) => console.error(`queue ${name}: ${err.message}`));
        queues.set(name, q);
      }
      return q;
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      connection.disconnect();
    },
  };
}

/** `npm run enqueue [-- --count N] [-- --feed SECONDS]`: add sample jobs once, or keep feeding. */
async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  // Fails with a message naming DATABASE_URL instead of a driver stack trace.
  await assertDatabaseReachable();
  await seedRecipients(getDb().db, NEWSLETTER_LIST, NEWSLETTER_SIZE);
  const registry = sampleQueues();
  const count = arg('--count') ?? 3;
  for (let i = 0; i < count; i++) await enqueueSamples(registry);
  console.log(`enqueued ${count * 3} sample jobs`);
  const feed = arg('--feed');
  if (!feed) {
    await registry.close();
    await getDb().sql.end();
    return;
  }
  // A gentle, steady trickle so there is always something queued and running.
  const kinds = Object.keys(SAMPLE_QUEUES) as (keyof typeof SAMPLE_QUEUES)[];
  let k = 0;
  const timer = setInterval(() => {
    enqueueSamples(registry, kinds[k++ % kinds.length]).catch((err) =>
      console.error('enqueue failed:', err.message),
    );
  }, feed * 1000);
  const stop = () => {
    clearInterval(timer);
    Promise.allSettled([registry.close(), getDb().sql.end()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
