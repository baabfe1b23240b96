import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as exportCsv } from '../../app/api/signals/export/route';
import { fixtures, uniqueQueue } from '../helpers';
import { apiRequest, closeServices, useApiToken } from './api-client';

beforeAll(async () => {
  await useApiToken('admin');
});

const fx = fixtures();
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const HEADER =
  'id,queue,jobId,jobName,signal,status,reason,requestedBy,workerId,outcome,createdAt,updatedAt,deliveredAt,completedAt';

/** Splits CSV text into records, honouring quoted line breaks. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('GET /api/signals/export', () => {
  it('streams every matching signal (not one page) as CSV, with a header and formulas neutralised', async () => {
    const q = uniqueQueue('csv');
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, reason, outcome, created_at)
      select ${q}, g::text, 'bulk', 'cancel', 'completed', 'ann', 'routine, "quoted"', '{"at": "page 1"}'::jsonb,
             '2025-03-01T00:00:00Z'::timestamptz + g * interval '1 second'
      from generate_series(1, 1200) g`;
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, reason, created_at)
      values (${q}, 'evil', 'x', 'cancel', 'completed', '@admin', '=HYPERLINK("http://evil.example","x")', '2025-03-02T00:00:00Z'),
             (${q}, 'open', 'x', 'pause', 'pending', 'ann', 'still open', '2025-03-02T00:00:01Z')`;

    const res = await exportCsv(
      apiRequest('GET', `/api/signals/export?queue=${q}&status=completed&page=3&pageSize=10`),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="signals-.*\.csv"$/,
    );
    const rows = parse(await res.text());
    expect(rows[0]?.join(',')).toBe(HEADER);
    const data = rows.slice(1);
    // 1,200 + the injection attempt; the pending one is filtered out; paging is ignored.
    expect(data).toHaveLength(1201);
    expect(data.every((r) => r[1] === q && r[5] === 'completed')).toBe(true);
    const evil = data[0]!;
    expect(evil[2]).toBe('evil');
    expect(evil[6]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(evil[7]).toBe("'@admin");
    const last = data[data.length - 1]!;
    expect(last[2]).toBe('1');
    expect(last[6]).toBe('routine, "quoted"');
    expect(JSON.parse(last[9]!)).toEqual({ at: 'page 1' });
    expect(last[10]).toBe('2025-03-01T00:00:01.000Z');
  });

  it('400 for a bad filter', async () => {
    const res = await exportCsv(apiRequest('GET', '/api/signals/export?status=nope'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'status must be one of pending, delivered, completed, superseded; got "nope".',
    });
  });
});
