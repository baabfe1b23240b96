import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as getJob, POST as postJob } from '../../app/api/jobs/[queue]/[id]/route';
import { GET as listJobs, POST as postJobs } from '../../app/api/jobs/route';
import { POST as postSignal } from '../../app/api/signals/route';
import { queueCounts } from '../../app/bullmq/job-list';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';
import { answer, apiRequest, closeServices, routeParams, useApiToken } from './api-client';

let tokenName = '';
beforeAll(async () => {
  tokenName = `token:${await useApiToken('admin')}`;
});

const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const list = async (qs: string) => answer(await listJobs(apiRequest('GET', `/api/jobs?${qs}`)));
const detail = async (queue: string, id: string) =>
  answer(
    await getJob(
      apiRequest('GET', `/api/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`),
      routeParams({ queue, id }),
    ),
  );
const signal = async (queue: string, jobId: string, kind: string) =>
  answer(await postSignal(apiRequest('POST', '/api/signals', { queue, jobId, signal: kind })));

describe('GET /api/jobs', () => {
  it('pages the jobs of a queue, each with its latest signal, and says the total', async () => {
    const q = uniqueQueue('jobs');
    const a = await fx.add(q, 'report', { n: 1 });
    const b = await fx.add(q, 'report', { n: 2 });
    const c = await fx.add(q, 'email', { n: 3 });
    await fx.add(q, 'later', {}, { delay: 60_000 });
    expect((await signal(q, b.id!, 'cancel')).status).toBe(201);

    const all = await list(`queue=${q}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 4, page: 1, pageSize: 50 });
    const byId = new Map(all.body.jobs.map((j: { id: string }) => [j.id, j]));
    expect(byId.get(b.id)).toMatchObject({
      queue: q,
      name: 'report',
      state: 'waiting',
      latestSignal: { signal: 'cancel', status: 'pending', requestedBy: tokenName },
    });
    expect(byId.get(a.id)).toMatchObject({ state: 'waiting', latestSignal: null });

    const page = await list(`queue=${q}&state=waiting&page=2&pageSize=2`);
    expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.body.jobs).toHaveLength(1);
    expect((await list(`queue=${q}&state=delayed`)).body.total).toBe(1);
    const named = await list(`queue=${q}&name=email`);
    expect(named.body.jobs.map((j: { id: string }) => j.id)).toEqual([c.id]);
  });

  it('state=cancelled lists the jobs a cancel failed and those it removed before they started; the counts agree', async () => {
    const q = uniqueQueue('jobs');
    const running = await fx.add(q, 'report', { n: 1 });
    workers.push(
      createSignalWorker(q, async (_job, ctx) => {
        for (;;) {
          await ctx.checkpoint();
          await sleep(2);
        }
      }),
    );
    await waitFor(async () => (await fx.queue(q).getJob(running.id!))?.isActive(), 'job active');
    // Delayed, so the worker never starts them: a cancel removes them from Redis.
    const email = await fx.add(q, 'email', { to: 'a@b.c' }, { delay: 60_000 });
    const report = await fx.add(q, 'report', { n: 2 }, { delay: 60_000 });
    const kept = await fx.add(q, 'report', { n: 3 }, { delay: 60_000 });
    for (const id of [running.id!, email.id!, report.id!]) {
      expect((await signal(q, id, 'cancel')).status).toBe(201);
      // One at a time, so the removals' order is known.
      await waitFor(
        async () =>
          (await fx.sql`select status from job_signals where queue = ${q} and job_id = ${id}`)[0]
            ?.status === 'completed',
        `cancel of ${id} completed`,
      );
    }

    const cancelled = await list(`queue=${q}&state=cancelled&include=data`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.total).toBe(3);
    // The one a cancel failed (still in Redis) first, then the removed ones, newest removal first.
    expect(cancelled.body.jobs.map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([
      [running.id, 'cancelled'],
      [report.id, 'cancelled'],
      [email.id, 'cancelled'],
    ]);
    const removed = cancelled.body.jobs[2];
    expect(removed).toMatchObject({
      queue: q,
      name: 'email',
      data: { to: 'a@b.c' },
      timestamp: email.timestamp,
      latestSignal: { signal: 'cancel', status: 'completed', requestedBy: tokenName },
    });
    expect(removed.failedReason).toBe(`cancelled by ${tokenName} (removed before it started)`);

    // Paging runs across both sources; the name filter applies to both.
    const second = await list(`queue=${q}&state=cancelled&page=2&pageSize=2`);
    expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.body.jobs.map((j: { id: string }) => j.id)).toEqual([email.id]);
    const reports = await list(`queue=${q}&state=cancelled&name=report`);
    expect(reports.body.jobs.map((j: { id: string }) => j.id)).toEqual([running.id, report.id]);
    const all = await list(`queue=${q}&state=all`);
    expect(all.body.total).toBe(4);
    expect(all.body.jobs.map((j: { id: string }) => j.id)).toContain(kept.id);

    const [counts] = await queueCounts(fx.queues, [q], fx.db);
    expect(counts?.counts).toMatchObject({ cancelled: 3, delayed: 1, failed: 0 });
  });

  it('400 for bad parameters, 404 for an unknown queue, 405 for POST', async () => {
    const bad: [string, string][] = [
      [
        'state=running',
        'state must be one of waiting, prioritized, delayed, waiting-children, active, paused, completed, failed, cancelled or all; got "running".',
      ],
      ['pageSize=0', 'pageSize must be a whole number from 1 to 500; got "0".'],
      ['pageSize=501', 'pageSize must be a whole number from 1 to 500; got "501".'],
      ['page=x', 'page must be a whole number from 1 to 1000000; got "x".'],
      [
        'sort=name',
        'Unknown query parameter: sort. Known: queue, state, name, search, include, page, pageSize.',
      ],
    ];
    for (const [qs, error] of bad)
      expect(await list(qs), qs).toEqual({ status: 400, body: { error } });
    const q = uniqueQueue('jobs');
    expect(await list(`queue=${q}`)).toEqual({
      status: 404,
      body: { error: `Queue ${q} does not exist.` },
    });
    const res = postJobs(apiRequest('POST', '/api/jobs', {}));
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ error: 'POST is not supported here; use GET.' });
  });
});

describe('GET /api/jobs/:queue/:id', () => {
  it('the job with its state and its signals oldest first; paused is named paused', async () => {
    const q = uniqueQueue('jobs');
    const job = await fx.add(q, 'render', { pages: 3 }, { delay: 60_000 });
    workers.push(createSignalWorker(q, async () => 'done'));
    expect((await signal(q, job.id!, 'pause')).status).toBe(201);
    const paused = await waitFor(async () => {
      const r = await detail(q, job.id!);
      // The job is parked first, then its signal is marked completed.
      return r.body.job?.state === 'paused' && r.body.signals[0]?.status === 'completed' ? r : null;
    }, 'job paused');
    expect(paused.status).toBe(200);
    expect(paused.body.job).toMatchObject({
      queue: q,
      id: job.id,
      name: 'render',
      data: { pages: 3 },
    });
    expect(paused.body.signals).toHaveLength(1);
    expect(paused.body.signals[0]).toMatchObject({ signal: 'pause', status: 'completed' });

    expect((await signal(q, job.id!, 'resume')).status).toBe(201);
    const done = await waitFor(async () => {
      const r = await detail(q, job.id!);
      return r.body.job?.state === 'completed' ? r : null;
    }, 'job completed after resume');
    expect(done.body.signals.map((s: { signal: string }) => s.signal)).toEqual(['pause', 'resume']);
  });

  it('a job removed by a cancel still answers, as cancelled, from the signal', async () => {
    const q = uniqueQueue('jobs');
    const job = await fx.add(q, 'send-invoice', { invoice: 9 });
    workers.push(createSignalWorker(q, async () => 'never', { autorun: false }));
    expect((await signal(q, job.id!, 'cancel')).status).toBe(201);
    await waitFor(async () => !(await fx.queue(q).getJob(job.id!)), 'job removed');
    await sleep(50);
    const r = await detail(q, job.id!);
    expect(r.status).toBe(200);
    expect(r.body.job).toMatchObject({
      id: job.id,
      name: 'send-invoice',
      state: 'cancelled',
      removed: true,
      data: { invoice: 9 },
    });
    expect(r.body.signals[0]).toMatchObject({ signal: 'cancel', status: 'completed' });
  });

  it('404 for an unknown job or queue, 405 for POST', async () => {
    const q = uniqueQueue('jobs');
    expect(await detail(q, '1')).toEqual({
      status: 404,
      body: { error: `Queue ${q} does not exist.` },
    });
    await fx.add(q, 'x', {});
    expect(await detail(q, '999')).toEqual({
      status: 404,
      body: { error: `Job 999 does not exist in queue ${q}.` },
    });
    const res = postJob(apiRequest('POST', `/api/jobs/${q}/1`, {}));
    expect(res.status).toBe(405);
  });
});
