/** The sample queues, their payloads and job names: declared once, used by workers and producers. */
export const SAMPLE_QUEUES = {
  reports: 'reports',
  thumbnails: 'thumbnails',
  newsletter: 'newsletter',
} as const;

export interface ReportJob {
  /** Pages to render. */
  pages: number;
  /** Milliseconds each page takes (the demo keeps jobs long enough to click). */
  pageMs: number;
  title: string;
}

export interface ThumbnailJob {
  images: number;
  /** Source size in pixels (square). */
  size: number;
  /** Thumbnail size in pixels (square). */
  thumb: number;
  seed: number;
}

export interface NewsletterJob {
  list: string;
  /** Size of the list, for progress. */
  recipients: number;
  issue: string;
  batchSize: number;
  /** Milliseconds each batch takes to "send". */
  batchMs: number;
}

export interface SampleWorkerOptions {
  concurrency?: number;
  /** Queue name (tests use unique ones). */
  queue?: string;
}

/** Where sample workers write their files; SIGNAL_DESK_DATA_DIR or ./data. */
export function dataDir(): string {
  return process.env.SIGNAL_DESK_DATA_DIR || `${process.cwd()}/data`;
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts (so a cancel stops the wait). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
