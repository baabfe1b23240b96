/**
 * Hostile input against every REST route: 1,000 generated requests each (wrong
 * types, missing and extra fields, huge and empty strings, NUL, lone surrogates,
 * RTL, deep nesting, prototype keys, arrays for objects, invalid JSON, wrong
 * content types, garbage query strings, forged credentials). Every answer is a
 * 2xx or a 4xx `{ "error": string }`, never a 5xx or a throw, and a refused or
 * read-only request writes no row.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getFollow } from '../../app/api/follow/route';
import { GET as getJob } from '../../app/api/jobs/[queue]/[id]/route';
import { GET as listJobs } from '../../app/api/jobs/route';
import { GET as getOperation } from '../../app/api/operations/[id]/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { GET as exportCsv } from '../../app/api/signals/export/route';
import { GET as listSignals, POST as postSignal } from '../../app/api/signals/route';
import { SIGNAL_SORTS } from '../../db/audit-list/filter';
import { getDb } from '../../db/client';
import { createApiToken } from '../../db/tokens';
import { SIGNAL_KINDS, SIGNAL_STATUSES } from '../../db/vocabulary';
import { JOB_STATES } from '../../worker/job-state';
import {
  dateText,
  expectCleanAnswer,
  expectNoPollution,
  expectNoWrites,
  FUZZ_RUNS,
  hostileString,
  hostileValue,
  type Isolated,
  inputOf,
  intText,
  isolate,
  mostly,
  queryString,
  type SeededJobs,
  seedJobs,
  wellFormed,
} from './fuzz-helpers';

let iso: Isolated;
let jobs: SeededJobs;
let token = '';

beforeAll(async () => {
  iso = await isolate('fuzz_api');
  token = (await createApiToken(getDb().db, { name: 'fuzz', role: 'admin', createdBy: 'fuzz' }))
    .token;
  jobs = await seedJobs();
});
afterAll(async () => {
  await iso?.close();
});

// ------------------------------------------------------------ request parts

/** Mostly the real admin token; sometimes none, a forged one, another scheme, or a junk cookie. */
const auth = fc.oneof(
  { weight: 9, arbitrary: fc.constant('valid') },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant(''),
      fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer sd_', 'Bearer sd_\t'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 120 }).map((s) => `Bearer sd_${s}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 200 })
        .map((s) => `cookie:signal-desk.session_token=${s}`),
    ),
  },
);

function headersFor(a: string, extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra);
  if (a === 'valid') h.set('authorization', `Bearer ${token}`);
  else if (a.startsWith('cookie:')) h.set('cookie', a.slice('cookie:'.length));
  else if (a) h.set('authorization', a);
  return h;
}

const contentType = fc.oneof(
  { weight: 9, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json;charset=UTF-16',
        'APPLICATION/JSON',
        'application/vnd.api+json',
        'application/jsonp',
        'text/json',
        'text/plain',
        'text/html',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=----x',
        'application/xml',
        '',
        'application/json, text/plain',
        '*/*',
        '(none)',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    ),
  },
);

/** Text that is not the JSON the route wants: broken, deep, huge, or not UTF-8 at all. */
const brokenBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"queue":',
    '[',
    'nul',
    'undefined',
    "{'queue':'x'}",
    '{"queue":"a",}',
    '\uFEFF{}',
    '{"a":1}{"b":2}',
    '1e999',
    'NaN',
    '"\\ud800"',
    '{"queue":"\\u0000","jobId":"\\udfff","signal":"cancel"}',
    '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"isAdmin":true}}}',
    `{"jobIds":[${'"1",'.repeat(20_000)}"1"]}`,
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.integer({ min: 1, max: 30_000 }).map((n) => `{"queue":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 1, max: 30_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.uint8Array({ minLength: 1, maxLength: 64 }),
  fc.constant(new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
);

const bodyOf = (input: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> =>
  fc.oneof(
    { weight: 9, arbitrary: input.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: brokenBody },
  );

function post(path: string, body: string | Uint8Array, type: string, a: string): Request {
  const extra: Record<string, string> = type === '(none)' ? {} : { 'content-type': type };
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: headersFor(a, extra),
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

const get = (path: string, a: string) =>
  new Request(`http://localhost${path}`, { method: 'GET', headers: headersFor(a) });

// ------------------------------------------------------------ the runs

type Tally = Record<string, number>;

/**
 * Runs `FUZZ_RUNS` generated requests; each must answer cleanly, leave
 * Object.prototype alone, and write only what a success may write.
 */
async function fuzz<T>(
  what: string,
  arb: fc.Arbitrary<T>,
  call: (input: T) => Promise<Response>,
  writes: 'signals' | 'operations' | 'none',
): Promise<Tally> {
  const tally: Tally = {};
  let last = await iso.counts();
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      // Nothing else writes to this file's database: one run's "after" is the next one's "before".
      const before = last;
      const { status, body } = await expectCleanAnswer(await call(input));
      const after = await iso.counts();
      last = after;
      tally[status] = (tally[status] ?? 0) + 1;
      if (status >= 400 || writes === 'none') expectNoWrites(before, after);
      else
        expectNoWrites(
          before,
          after,
          writes === 'operations' ? ['job_signals', 'signal_operations'] : ['job_signals'],
        );
      if (status < 400) expect(body).not.toBeNull();
      expectNoPollution();
    }),
  );
  console.log(`[fuzz] ${what}: ${FUZZ_RUNS} runs, status ${JSON.stringify(tally)}`);
  return tally;
}

const count2xx = (t: Tally) =>
  Object.entries(t).reduce((n, [s, c]) => (s.startsWith('2') ? n + c : n), 0);

const queueArb = () => fc.constantFrom(jobs.live, jobs.finished, 'no-such-queue');
const idArb = () => fc.constantFrom(...jobs.ids, 'no-such-job');
const signalArb = fc.constantFrom(...SIGNAL_KINDS);
const reasonArb = fc.oneof(fc.constantFrom(null, '', 'customer asked'), hostileString);

describe('hostile input: every route answers 2xx or 4xx { error }, and a refusal writes nothing', () => {
  it(`POST /api/signals (${FUZZ_RUNS} bodies, content types and credentials)`, async () => {
    const body = inputOf({
      queue: mostly(queueArb()),
      jobId: mostly(idArb()),
      signal: mostly(signalArb),
      reason: reasonArb,
    });
    const t = await fuzz(
      'POST /api/signals',
      fc.tuple(bodyOf(body), contentType, auth),
      ([b, type, a]) => postSignal(post('/api/signals', b, type, a)),
      'signals',
    );
    expect(count2xx(t), 'some requests got past validation').toBeGreaterThan(10);
    expect(t[404] ?? 0).toBeGreaterThan(0);
    expect(t[409] ?? 0).toBeGreaterThan(0);
  });

  it(`POST /api/signals/bulk (${FUZZ_RUNS} bodies: by ids, by name, both, neither)`, async () => {
    const ids = fc.oneof(
      { weight: 6, arbitrary: fc.array(mostly(idArb()), { maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constant([] as unknown[]) },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: 1001 }, (_, i) => String(i))) },
      { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 4 }) },
    );
    const common = { queue: mostly(queueArb()), signal: mostly(signalArb), reason: reasonArb };
    const body = fc.oneof(
      inputOf({ ...common, jobIds: ids }),
      inputOf({ ...common, name: mostly(fc.constantFrom(...jobs.names)) }),
      inputOf({ ...common, jobIds: ids, name: mostly(fc.constantFrom(...jobs.names)) }),
    );
    const t = await fuzz(
      'POST /api/signals/bulk',
      fc.tuple(bodyOf(body), contentType, auth),
      ([b, type, a]) => postBulk(post('/api/signals/bulk', b, type, a)),
      'operations',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });

  it(`GET /api/operations/:id (${FUZZ_RUNS} path parameters)`, async () => {
    const id = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('1', '2', '3', '999999999999999', '0', '-1', '01') },
      { weight: 1, arbitrary: intText },
      { weight: 2, arbitrary: hostileString },
    );
    const t = await fuzz(
      'GET /api/operations/:id',
      fc.tuple(id, auth),
      ([raw, a]) =>
        getOperation(get(`/api/operations/${encodeURIComponent(wellFormed(raw))}`, a), {
          params: Promise.resolve({ id: raw }),
        }),
      'none',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });

  it(`GET /api/follow (${FUZZ_RUNS} query strings)`, async () => {
    const idList = fc
      .array(fc.oneof(fc.constantFrom('1', '2', '3', '0', '-1', ''), intText), { maxLength: 60 })
      .map((xs) => xs.join(','));
    const t = await fuzz(
      'GET /api/follow',
      fc.tuple(queryString({ signals: idList, operations: idList }), auth),
      ([q, a]) => getFollow(get(`/api/follow?${q}`, a)),
      'none',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });

  it(`GET /api/jobs (${FUZZ_RUNS} query strings)`, async () => {
    const states = fc
      .array(fc.constantFrom(...JOB_STATES, 'all', 'ALL', '', ' ', 'unknown'), { maxLength: 4 })
      .map((s) => s.join(','));
    const query = queryString({
      queue: queueArb(),
      state: states,
      name: fc.constantFrom(...jobs.names),
      page: intText,
      pageSize: intText,
    });
    const t = await fuzz(
      'GET /api/jobs',
      fc.tuple(query, auth),
      ([q, a]) => listJobs(get(`/api/jobs?${q}`, a)),
      'none',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });

  it(`GET /api/jobs/:queue/:id (${FUZZ_RUNS} path parameters)`, async () => {
    const segment = (real: fc.Arbitrary<string>) =>
      fc.oneof({ weight: 3, arbitrary: real }, { weight: 2, arbitrary: hostileString });
    const t = await fuzz(
      'GET /api/jobs/:queue/:id',
      fc.tuple(segment(queueArb()), segment(idArb()), auth),
      ([queue, id, a]) => {
        const path = `/api/jobs/${encodeURIComponent(wellFormed(queue))}/${encodeURIComponent(wellFormed(id))}`;
        return getJob(get(path, a), { params: Promise.resolve({ queue, id }) });
      },
      'none',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });

  const listParams = () => ({
    status: fc.array(fc.constantFrom(...SIGNAL_STATUSES, 'open'), { maxLength: 3 }).map(String),
    signal: fc.array(fc.constantFrom(...SIGNAL_KINDS, 'kill'), { maxLength: 3 }).map(String),
    queue: queueArb(),
    jobId: idArb(),
    requestedBy: fc.constantFrom('token:fuzz', 'nobody'),
    from: dateText,
    to: dateText,
    search: fc.constantFrom('render', '%', '_', '\\', 'odd'),
    sort: fc
      .tuple(fc.constantFrom('', '-', '--'), fc.constantFrom(...SIGNAL_SORTS, 'outcome', ''))
      .map(([d, k]) => d + k),
    page: intText,
    pageSize: intText,
  });

  it(`GET /api/signals (${FUZZ_RUNS} query strings)`, async () => {
    const t = await fuzz(
      'GET /api/signals',
      fc.tuple(queryString(listParams()), auth),
      ([q, a]) => listSignals(get(`/api/signals?${q}`, a)),
      'none',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });

  it(`GET /api/signals/export (${FUZZ_RUNS} query strings, whole CSV read)`, async () => {
    const query = queryString({
      ...listParams(),
      year: fc.oneof(fc.constantFrom('1969', '1970', '2025', '9999', '10000'), intText),
      month: intText,
      day: intText,
    });
    const t = await fuzz(
      'GET /api/signals/export',
      fc.tuple(query, auth),
      async ([q, a]) => {
        const res = await exportCsv(get(`/api/signals/export?${q}`, a));
        if (res.ok) {
          expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
          expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
        }
        return res;
      },
      'none',
    );
    expect(count2xx(t)).toBeGreaterThan(10);
  });
});
