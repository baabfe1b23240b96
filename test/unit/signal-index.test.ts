import { describe, expect, it } from 'vitest';
import { RetryBook } from '../../worker/toolkit/retry-book';
import { SignalIndex } from '../../worker/toolkit/signal-index';
import { parseHint, readPlan } from '../../worker/toolkit/watcher-plan';
import { signalRow } from './signal-fixture';

describe('SignalIndex', () => {
  it('holds open signals by job; a job with none costs a lookup that finds nothing', () => {
    const index = new SignalIndex();
    const s = signalRow('cancel', { queue: 'q', jobId: '7' });
    expect(index.put(s)).toBe(true);
    expect(index.forJob('q', '7')).toEqual([s]);
    expect(index.forJob('q', '8')).toBeUndefined();
    expect(index.highWater).toBe(s.id);
    // The same row again is no news; back to pending is.
    expect(index.put({ ...s, status: 'delivered' })).toBe(false);
    expect(index.put({ ...s, status: 'pending' })).toBe(true);
  });

  it('a closed row read again leaves the index; dropping the last signal of a job forgets the job', () => {
    const index = new SignalIndex();
    const s = signalRow('pause', { jobId: '1' });
    index.put(s);
    expect(index.put({ ...s, status: 'completed' })).toBe(false);
    expect(index.forJob(s.queue, '1')).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('a full read replaces what it covers and reports only the news', () => {
    const index = new SignalIndex();
    const a = signalRow('cancel', { queue: 'a', jobId: '1' });
    const gone = signalRow('cancel', { queue: 'a', jobId: '2' });
    const other = signalRow('cancel', { queue: 'b', jobId: '3' });
    for (const s of [a, gone, other]) index.put(s);
    const fresh = signalRow('pause', { queue: 'a', jobId: '4' });
    expect(index.replace(new Set(['a']), [a, fresh])).toEqual([fresh]);
    expect(index.get(gone.id)).toBeUndefined();
    expect(index.get(other.id)).toEqual(other); // not covered by the read
    expect(index.ofQueue('a').map((s) => s.id)).toEqual([a.id, fresh.id]);
    expect([...index.queues()].sort()).toEqual(['a', 'b']);
    index.forgetQueue('b');
    expect(index.get(other.id)).toBeUndefined();
  });
});

describe('what a notification makes a process read', () => {
  const served = new Set(['reports']);

  it('nothing for a notification that names only other queues', () => {
    expect(readPlan(parseHint('{"queues":["mail"],"minId":9}'), served, 5)).toBeNull();
  });

  it("the changes past the last id read, or from the hint's first id when lower", () => {
    expect(readPlan(parseHint('{"queues":["reports"],"minId":9}'), served, 5)).toEqual({
      kind: 'changes',
      from: 6,
    });
    expect(readPlan(parseHint('{"queues":["reports","mail"],"minId":3}'), served, 5)).toEqual({
      kind: 'changes',
      from: 3,
    });
  });

  it('a hint without queues (too long for NOTIFY) reads; an unreadable one reads everything', () => {
    expect(readPlan(parseHint('{"minId":4}'), served, 10)).toEqual({ kind: 'changes', from: 4 });
    expect(readPlan(parseHint('not json'), served, 10)).toEqual({ kind: 'full' });
    expect(readPlan(parseHint('{"queues":"reports"}'), served, 10)).toEqual({ kind: 'full' });
    expect(parseHint('{"queues":["a",1],"minId":-1}')).toEqual({ queues: ['a'] });
  });
});

describe('RetryBook', () => {
  it('backs off 1 s, 2 s, 4 s … and gives up after the bound', () => {
    const book = new RetryBook(3, 1000);
    expect(book.due(1, 0)).toBe(true);
    expect(book.failed(1, 'x', 0)).toEqual({ attempts: 1, exhausted: false });
    expect(book.due(1, 999)).toBe(false);
    expect(book.due(1, 1000)).toBe(true);
    expect(book.failed(1, 'x', 1000)).toEqual({ attempts: 2, exhausted: false });
    expect(book.due(1, 2999)).toBe(false);
    expect(book.failed(1, 'x', 3000)).toEqual({ attempts: 3, exhausted: true });
    expect(book.size).toBe(0);
  });

  it('forgets a signal once it settles', () => {
    const book = new RetryBook();
    book.failed(2, 'x', 0);
    book.settled(2);
    expect(book.due(2, 0)).toBe(true);
  });
});
