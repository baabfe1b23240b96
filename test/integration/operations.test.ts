/**
 * Bulk requests as tracked operations: the operation row and its signals written
 * together, its progress counted from its signals, the API's answer and reads, and
 * the audit list's filter by operation.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getOperation, POST as postOperation } from '../../app/api/operations/[id]/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { GET as listSignals } from '../../app/api/signals/route';
import { readOperationsProgress } from '../../app/operations/progress';
import { jobSignals, signalOperations } from '../../db/schema';
import { fixtures, uniqueQueue } from '../helpers';
import { answer, apiRequest, closeServices, routeParams, useApiToken } from './api-client';

let tokenName = '';
beforeAll(async () => {
  tokenName = `token:${await useApiToken('support')}`;
});
const fx = fixtures();
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const bulk = async (body: unknown) =>
  answer(await postBulk(apiRequest('POST', '/api/signals/bulk', body)));
const operation = async (id: string) =>
  answer(await getOperation(apiRequest('GET', `/api/operations/${id}`), routeParams({ id })));

/** What a worker does to a signal, written directly (these tests run no worker). */
const finish = (id: number, status: 'completed' | 'superseded', outcome: Record<string, unknown>) =>
  fx.db
    .update(jobSignals)
    .set({ status, outcome, completedAt: new Date() })
    .where(eq(jobSignals.id, id));

describe('bulk requests are tracked operations', () => {
  it('one operation: who, why, how many; its signals carry its id; skipped jobs listed with why', async () => {
    const q = uniqueQueue('op');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await fx.add(q, 'export', { i })).id));
    // One of them already has an open cancel: the operation writes nothing for it.
    const before = await bulk({ queue: q, signal: 'cancel', jobIds: [ids[3]] });
    const r = await bulk({
      queue: q,
      signal: 'cancel',
      reason: 'wrong import',
      jobIds: [...ids, 'gone'],
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      requested: 4,
      skipped: [{ jobId: 'gone', reason: `Job gone does not exist in queue ${q}.` }],
      operationId: expect.any(Number),
    });
    expect(r.body.operationId).not.toBe(before.body.operationId);
    const [op] = await fx.db
      .select()
      .from(signalOperations)
      .where(eq(signalOperations.id, r.body.operationId));
    expect(op).toMatchObject({
      signal: 'cancel',
      queue: q,
      requestedBy: tokenName,
      reason: 'wrong import',
      name: null,
      jobCount: 5,
      skipped: [{ jobId: 'gone', reason: `Job gone does not exist in queue ${q}.` }],
    });
    const rows = await fx.sql<{ job_id: string; operation_id: string }[]>`
      select job_id, operation_id::text from job_signals where queue = ${q} order by id`;
    expect(rows.map((x) => [x.job_id, Number(x.operation_id)])).toEqual([
      [ids[3], before.body.operationId],
      [ids[0], r.body.operationId],
      [ids[1], r.body.operationId],
      [ids[2], r.body.operationId],
    ]);

    // Its progress, counted from its signals as workers act on them.
    const mine = await fx.db
      .select()
      .from(jobSignals)
      .where(eq(jobSignals.operationId, r.body.operationId))
      .orderBy(jobSignals.id);
    await finish(mine[0]!.id, 'completed', { action: 'removed' });
    await finish(mine[1]!.id, 'superseded', { reason: 'job completed first' });
    const mid = await operation(String(r.body.operationId));
    expect(mid.status).toBe(200);
    expect(mid.body).toMatchObject({
      operation: {
        id: r.body.operationId,
        signal: 'cancel',
        queue: q,
        requestedBy: tokenName,
        reason: 'wrong import',
        jobCount: 5,
      },
      written: 3,
      acted: 1,
      superseded: 1,
      open: 1,
      alreadyOpen: 1,
      skippedCount: 1,
      supersededWhy: [{ reason: 'job completed first', count: 1 }],
      finishedAt: null,
      skipped: [{ jobId: 'gone', reason: `Job gone does not exist in queue ${q}.` }],
    });
    await finish(mine[2]!.id, 'completed', { action: 'removed' });
    const [end] = await readOperationsProgress(fx.db, [r.body.operationId]);
    expect(end).toMatchObject({ acted: 2, superseded: 1, open: 0 });
    expect(Date.parse(end?.finishedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(end?.operation.createdAt ?? ''),
    );
  });

  it('by name: the operation keeps the name, and every job found counts', async () => {
    const q = uniqueQueue('op');
    await fx.add(q, 'send-invoice', {});
    await fx.add(q, 'send-invoice', {});
    await fx.add(q, 'other', {});
    const r = await bulk({ queue: q, signal: 'pause', name: 'send-invoice' });
    const [p] = await readOperationsProgress(fx.db, [r.body.operationId]);
    expect(p).toMatchObject({
      operation: { name: 'send-invoice', jobCount: 2, signal: 'pause' },
      written: 2,
      open: 2,
    });
  });

  it('GET /api/signals?operation= lists exactly its signals; a bad id is refused', async () => {
    const q = uniqueQueue('op');
    const a = await fx.add(q, 'x', {});
    const b = await fx.add(q, 'x', {});
    const r = await bulk({ queue: q, signal: 'cancel', jobIds: [a.id, b.id] });
    await bulk({ queue: q, signal: 'pause', jobIds: [a.id] }); // refused: being cancelled
    const list = answer(
      await listSignals(apiRequest('GET', `/api/signals?operation=${r.body.operationId}`)),
    );
    const got = await list;
    expect(got.status).toBe(200);
    expect(got.body.total).toBe(2);
    expect(got.body.signals.map((s: { jobId: string }) => s.jobId).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect(
      got.body.signals.every((s: { operationId: number }) => s.operationId === r.body.operationId),
    ).toBe(true);
    const bad = await answer(await listSignals(apiRequest('GET', '/api/signals?operation=abc')));
    expect(bad).toEqual({
      status: 400,
      body: { error: 'operation must be a whole number from 1 to 9007199254740991; got "abc".' },
    });
  });

  it('GET /api/operations/:id: 404 for an unknown id, 400 for a malformed one, 405 for POST', async () => {
    expect(await operation('999999999')).toEqual({
      status: 404,
      body: { error: 'Operation 999999999 does not exist.' },
    });
    expect(await operation('x1')).toEqual({
      status: 400,
      body: { error: 'An operation id is a positive whole number; got "x1".' },
    });
    const res = postOperation(apiRequest('POST', '/api/operations/1'));
    expect(res.status).toBe(405);
  });

  it('a refused bulk request (unknown queue, bad input) writes no operation', async () => {
    const mine = async () =>
      (
        await fx.sql`select count(*)::int as n from signal_operations where requested_by = ${tokenName}`
      )[0]?.n;
    const n = await mine();
    expect(
      (await bulk({ queue: uniqueQueue('nope'), signal: 'cancel', jobIds: ['1'] })).status,
    ).toBe(404);
    expect((await bulk({ queue: 'q', signal: 'cancel', jobIds: [] })).status).toBe(400);
    expect(await mine()).toBe(n);
  });
});
