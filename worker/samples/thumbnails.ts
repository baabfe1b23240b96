import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { createSignalWorker } from '../toolkit';
import {
  dataDir,
  pause,
  SAMPLE_QUEUES,
  type SampleWorkerOptions,
  type ThumbnailJob,
} from './queues';

interface ThumbState {
  /** Next image to make; thumbnails before it exist on disk. */
  next: number;
}

const outDir = (job: Job) => join(dataDir(), 'thumbnails', String(job.id));

/** A generated RGB image: a gradient with a seeded pattern, so every image differs. */
export function generateImage(size: number, seed: number): Uint8Array {
  const px = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      px[o] = (x * 255) / size;
      px[o + 1] = (y * 255) / size;
      px[o + 2] = ((x ^ y) * seed) & 255;
    }
  }
  return px;
}

/** Box-filter downscale of a square RGB image. */
export function downscale(src: Uint8Array, size: number, thumb: number): Uint8Array {
  const out = new Uint8Array(thumb * thumb * 3);
  const f = size / thumb;
  for (let ty = 0; ty < thumb; ty++) {
    for (let tx = 0; tx < thumb; tx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = Math.floor(ty * f); y < Math.floor((ty + 1) * f); y++) {
        for (let x = Math.floor(tx * f); x < Math.floor((tx + 1) * f); x++) {
          const o = (y * size + x) * 3;
          r += src[o] ?? 0;
          g += src[o + 1] ?? 0;
          b += src[o + 2] ?? 0;
          n++;
        }
      }
      const o = (ty * thumb + tx) * 3;
      const d = Math.max(n, 1);
      out[o] = Math.round(r / d);
      out[o + 1] = Math.round(g / d);
      out[o + 2] = Math.round(b / d);
    }
  }
  return out;
}

/** Binary PPM: the simplest image file any viewer opens. */
const ppm = (px: Uint8Array, size: number) =>
  Buffer.concat([Buffer.from(`P6\n${size} ${size}\n255\n`), px]);

/**
 * Thumbnail batch: generates each source image and writes its thumbnail. Cancel
 * removes the job's output folder; resume skips the thumbnails already made.
 */
export function startThumbnailsWorker({
  concurrency = 2,
  queue = SAMPLE_QUEUES.thumbnails,
}: SampleWorkerOptions = {}) {
  return createSignalWorker<ThumbnailJob, { images: number; dir: string }, ThumbState>(
    queue,
    async (job, ctx) => {
      await mkdir(outDir(job), { recursive: true });
      let next = ctx.resumeState?.next ?? 0;
      if (next > 0) await job.log(`resuming at image ${next + 1} of ${job.data.images}`);
      for (; next < job.data.images; next++) {
        await ctx.checkpoint({ next });
        const src = generateImage(job.data.size, job.data.seed + next);
        const small = downscale(src, job.data.size, job.data.thumb);
        await writeFile(
          join(outDir(job), `${String(next).padStart(4, '0')}.ppm`),
          ppm(small, job.data.thumb),
        );
        // Pace the demo so there is time to click.
        await pause(250, ctx.abortSignal);
        await job.updateProgress(Math.round(((next + 1) / job.data.images) * 100));
      }
      await job.log(`made ${job.data.images} thumbnails`);
      return { images: job.data.images, dir: outDir(job) };
    },
    {
      concurrency,
      onCancel: async (job) => {
        await rm(outDir(job), { recursive: true, force: true });
        await job.log('cancelled; output folder removed');
      },
    },
  );
}
