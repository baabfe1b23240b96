/**
 * Shared pieces of the hostile-input fuzz tests (fuzz-*.test.ts): fast-check
 * arbitraries for malicious values, an isolated database and BullMQ prefix per
 * file (so row counts are exact while other test files write to the run's
 * database), and the checks every answer must pass.
 *
 * FUZZ_SEED and FUZZ_RUNS override the fixed seed and the 1,000 runs per target;
 * a failure prints the seed and path to replay it (`fc.assert` does).
 */
import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import fc from 'fast-check';
import postgres from 'postgres';
import { expect } from 'vitest';
import { getQueues } from '../../app/bullmq/queue-registry';
import { migrateDatabase } from '../../db/migrate';
import { redisUrl, workerConnection } from '../../worker/config';
import { MARKER_KEY, PARK_DELAY_MS } from '../../worker/marker';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 7_2025);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
fc.configureGlobal({ seed: FUZZ_SEED, numRuns: FUZZ_RUNS });

// ---------------------------------------------------------------- isolation

const globals = globalThis as unknown as {
  signalDeskDb?: { sql: { end(o: object): Promise<void> } };
  signalDeskQueues?: { close(): Promise<void> };
  signalDeskAuth?: unknown;
};

export interface Isolated {
  url: string;
  prefix: string;
  sql: postgres.Sql;
  /** Rows of the tables a refused request must never touch. */
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

export interface RowCounts {
  job_signals: number;
  signal_operations: number;
  users: number;
  api_tokens: number;
  audit_events: number;
}

/**
 * A database of this file's own (the run's database name plus `label`, migrated)
 * and a BullMQ prefix of its own, set as DATABASE_URL and BULLMQ_PREFIX before
 * any handler or action opens its process-wide clients. close() drops exactly
 * that database and deletes exactly that prefix's keys.
 */
export async function isolate(label: string): Promise<Isolated> {
  if (globals.signalDeskDb || globals.signalDeskQueues)
    throw new Error('isolate() must run before any handler opens its clients');
  const base = process.env.DATABASE_URL;
  const run = process.env.SIGNAL_DESK_TEST_DB;
  if (!base || !run) throw new Error('run through vitest (test/global-setup.ts)');
  const name = `${run}_${label}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const prefix = `fz-${label}-${randomBytes(3).toString('hex')}`;
  const saved = { db: process.env.DATABASE_URL, prefix: process.env.BULLMQ_PREFIX };
  process.env.DATABASE_URL = url.toString();
  process.env.BULLMQ_PREFIX = prefix;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    url: url.toString(),
    prefix,
    sql,
    async counts() {
      const [row] = await sql<RowCounts[]>`
        select (select count(*)::int from job_signals) as job_signals,
               (select count(*)::int from signal_operations) as signal_operations,
               (select count(*)::int from users) as users,
               (select count(*)::int from api_tokens) as api_tokens,
               (select count(*)::int from audit_events) as audit_events`;
      if (!row) throw new Error('no counts');
      return row;
    },
    async close() {
      // Each step runs even when one before it failed, so the database is always dropped.
      await Promise.allSettled([
        globals.signalDeskQueues?.close(),
        globals.signalDeskDb?.sql.end({ timeout: 2 }),
        sql.end({ timeout: 2 }),
        deletePrefix(prefix),
      ]);
      globals.signalDeskQueues = undefined;
      globals.signalDeskDb = undefined;
      globals.signalDeskAuth = undefined;
      process.env.DATABASE_URL = saved.db;
      if (saved.prefix === undefined) delete process.env.BULLMQ_PREFIX;
      else process.env.BULLMQ_PREFIX = saved.prefix;
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
        await admin.unsafe(`drop database if exists "${name}"`);
      } finally {
        await admin.end({ timeout: 2 });
      }
    },
  };
}

/** Deletes every key of one BullMQ prefix (SCAN + UNLINK), and nothing else. */
async function deletePrefix(prefix: string): Promise<void> {
  const redis = workerConnection(redisUrl(), { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------- arbitraries

/** Characters that break parsers, databases, terminals and renderers. */
const NASTY_CHARS = [
  '\u0000', // NUL: PostgreSQL text cannot hold it
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uD83D', // half an emoji
  '\u202E', // right-to-left override
  '\u200F', // right-to-left mark
  '\u061C', // Arabic letter mark
  '\uFEFF', // byte order mark
  '\u200B', // zero-width space
  '\u2028',
  '\u2029',
  '\uFFFF',
  '\u0085',
  '\u00A0',
  '\u0301', // combining accent
  '\u001B', // escape
  '\b',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u{1F600}',
  '\u{10FFFF}',
  'İ', // lower-cases to two code units
  'ß',
  'é',
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '\\',
  '/',
  '%',
  '_',
  '*',
  '?',
  ':',
  ',',
  ';',
  '=',
  '+',
  '-',
  '@',
  '#',
  '$',
  '{',
  '}',
  '[',
  ']',
  'a',
  'Z',
  '0',
  '9',
];

const NASTY_STRINGS = [
  '',
  ' ',
  '   \t\n',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  'true',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  '99999999999999999999999999999',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '<script>window.__xss=1</script>',
  '<img src=x onerror=alert(1)>',
  "' OR '1'='1",
  "'; drop table job_signals; --",
  '%',
  '_',
  '\\',
  '%_\\%',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '=HYPERLINK("http://evil.example")',
  '+cmd|/c calc',
  '\u202Egnp.exe',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(500),
  'x'.repeat(501),
  '\u{1F600}'.repeat(500), // 500 characters, 1,000 UTF-16 units
  '\u{1F600}'.repeat(501),
  'x'.repeat(70_000), // more than the API's 64 KB body
];

/** One hostile string: known troublemakers, nasty characters, any code point, or long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY_CHARS), maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  // A NUL amid ordinary text: PostgreSQL refuses it in any text column or parameter.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
      .map(([a, b]) => `${a}\u0000${b}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '\u0000', '\u{1F600}', '\uD800', ' ', '%'), fc.nat(3000))
      .map(([c, n]) => c.repeat(n + 1)),
  },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      '',
      'requestedBy',
      'status',
      'id',
      'role',
      'isAdmin',
    ),
  },
  { weight: 1, arbitrary: hostileString },
);

/** Sets an own, enumerable property, even for `__proto__` (an object literal would set the prototype). */
export function own(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}

const POLLUTION = { polluted: 'yes', isAdmin: true, role: 'admin' };

/** `{ "__proto__": { polluted: … } }` and friends, as own keys (what JSON.parse makes). */
export const pollutedObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean())
  .map(([key, nested]) =>
    own({}, key, nested ? own({}, 'prototype', { ...POLLUTION }) : { ...POLLUTION }),
  );

/** An object or array nested `depth` deep. */
export function nested(depth: number, leaf: unknown = 'leaf'): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { queue: v };
  return v;
}

const numbers = fc.oneof(
  fc.integer(),
  fc.double(), // NaN, ±Infinity, -0 included (JSON sends them as null or 0)
  fc.constantFrom(0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MIN_VALUE),
);

/** JSON-shaped hostile values: strings, numbers as ids, null, arrays where objects go, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: hostileString },
    { weight: 2, arbitrary: numbers },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, undefined) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 })
        .map((entries) => entries.reduce((o, [k, v]) => own(o, k, v), {})),
    },
    { weight: 1, arbitrary: pollutedObject },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 2000 }).map((d) => nested(d)) },
  ),
})).value;

/** Anything a React server action can receive: Maps, Sets, Dates, BigInts, typed arrays, holes. */
export const actionAnything: fc.Arbitrary<unknown> = fc.anything({
  key: hostileKey,
  values: [hostileString, numbers, fc.constantFrom(null, undefined, true)],
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
});

/** Mostly `valid`, sometimes any hostile value: so many runs get past validation. */
export const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: valid as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: hostileValue },
  );

/**
 * An object with the given fields, each present most of the time (missing
 * fields), sometimes with extra hostile keys (unknown and prototype keys).
 */
export function shaped(
  fields: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const present = Object.entries(fields).map(([key, arb]) =>
    fc.option(
      arb.map((value) => ({ key, value })),
      { freq: 8, nil: null },
    ),
  );
  return fc
    .tuple(
      fc.tuple(...present),
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.array(fc.tuple(hostileKey, hostileValue), { minLength: 1, maxLength: 3 }),
        },
      ),
    )
    .map(([fieldsPresent, extra]) => {
      const out: Record<string, unknown> = {};
      for (const f of fieldsPresent) if (f) own(out, f.key, f.value);
      for (const [k, v] of extra ?? []) own(out, k, v);
      return out;
    });
}

/** Shaped input most of the time; else a hostile value where the object should be. */
export const inputOf = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    { weight: 9, arbitrary: shaped(fields) as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: hostileValue },
  );

/** Strings safe in a URL component: lone surrogates would make encodeURIComponent throw. */
export const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/**
 * A raw query string: known parameters with valid or hostile values, unknown or
 * repeated parameters, raw `%` garbage (invalid escapes, overlong UTF-8, %00).
 */
export function queryString(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const known = Object.keys(params);
  const pair = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...known)
        .chain((k) =>
          fc
            .oneof(
              { weight: 3, arbitrary: params[k] as fc.Arbitrary<string> },
              { weight: 1, arbitrary: hostileString },
            )
            .map((v) => `${k}=${encodeURIComponent(wellFormed(v))}`),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(hostileKey, hostileString)
        .map(
          ([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...known), rawEscapes).map(([k, v]) => `${k}=${v}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 30 }) },
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&'));
}

const rawEscapes = fc.oneof(
  fc.constantFrom(
    '%',
    '%%',
    '%zz',
    '%00',
    '%C0%AF',
    '%ED%A0%80',
    '%FF%FE',
    '%E2%80%AE',
    '+',
    '%2B1',
    '%0D%0A',
    '%5B%5D',
    '&&&',
    '==',
    '%3Cscript%3E',
  ),
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 })
    .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);

/** Dates at and past the edges: year 0, leap days, offsets, far future, garbage. */
export const dateText = fc.oneof(
  fc.constantFrom(
    '2025-03-01',
    '2025-02-29',
    '2024-02-29',
    '2025-13-01',
    '0000-01-01',
    '0001-01-01',
    '1969-12-31',
    '9999-12-31',
    '2025-01-31T09:30:00Z',
    '2025-01-31T09:30Z',
    '2025-01-31T09:30:00.123456+02:00',
    '2025-01-31T24:00:00Z',
    '2025-01-31T09:30:00+99:99',
    '9999-12-31T23:59:59.999999-23:59',
    '0000-01-01T00:00:00+23:59',
    '275760-09-13',
    '2025-1-1',
    'yesterday',
    '1740787200000',
  ),
  fc
    .date({
      min: new Date(Date.UTC(0, 0, 1)),
      max: new Date(Date.UTC(9999, 11, 31)),
      noInvalidDate: true,
    })
    .chain((d) =>
      fc.constantFrom(d.toISOString().slice(0, 10), d.toISOString(), d.toISOString().slice(0, 16)),
    ),
);

export const intText = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '2',
    '01',
    '-1',
    '1.5',
    '1e3',
    ' 2',
    '500',
    '501',
    '1000000',
    '1000001',
  ),
  fc.nat().map(String),
  fc.constant('9'.repeat(400)),
);

// ---------------------------------------------------------------- checks

const STACK_LINE =
  /\n\s+at\s|\bat\s+\S+\s+\(|(?:\/|\\)(?:work|home|node_modules|app|db|worker)\/\S+\.[cm]?[jt]sx?/;

/** No stack trace, source path or driver internals in what a caller sees. */
export function expectNoLeak(text: string) {
  expect(text, 'an answer must not carry a stack trace or a file path').not.toMatch(STACK_LINE);
  expect(text).not.toMatch(/Something went wrong on the server/);
}

/**
 * A route handler's answer: 2xx or 4xx, never 5xx; every 4xx is JSON
 * `{ "error": "<sentence>" }` and nothing else. Returns the parsed JSON of a
 * JSON answer (or the text of another).
 */
export async function expectCleanAnswer(res: unknown): Promise<{ status: number; body: unknown }> {
  expect(res).toBeInstanceOf(Response);
  const r = res as Response;
  const text = await r.text();
  expect(r.status, `never a 5xx: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(r.status).toBeGreaterThanOrEqual(200);
  expect([2, 4]).toContain(Math.floor(r.status / 100));
  const type = r.headers.get('content-type') ?? '';
  if (r.status >= 400) {
    expect(type).toMatch(/^application\/json/);
    const body = JSON.parse(text) as unknown;
    expect(body).toEqual({ error: expect.any(String) });
    expect((body as { error: string }).error.length).toBeGreaterThan(0);
    expectNoLeak((body as { error: string }).error);
    return { status: r.status, body };
  }
  // A success may carry a failed job's own stack trace (job data, shown on purpose), never ours.
  expect(text).not.toMatch(/Something went wrong on the server/);
  return { status: r.status, body: type.startsWith('application/json') ? JSON.parse(text) : text };
}

/** A server action's answer: `{ ok: true, … }` or `{ ok: false, error }`, never the generic server error. */
export function expectCleanResult(result: unknown): result is { ok: boolean; error?: string } {
  expect(result).toBeTypeOf('object');
  const r = result as { ok?: unknown; error?: unknown };
  expect(typeof r.ok).toBe('boolean');
  if (r.ok === false) {
    expect(Object.keys(r).sort()).toEqual(['error', 'ok']);
    expect(r.error).toBeTypeOf('string');
    expect((r.error as string).length).toBeGreaterThan(0);
    expectNoLeak(r.error as string);
  }
  return true;
}

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Nothing a request sent ended up on Object.prototype. */
export function expectNoPollution() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(probe.role).toBeUndefined();
}

/** Counts a refused request left as they were; `allowed` names tables a success may grow. */
export function expectNoWrites(
  before: RowCounts,
  after: RowCounts,
  allowed: (keyof RowCounts)[] = [],
) {
  const keep = (c: RowCounts) =>
    Object.fromEntries(Object.entries(c).filter(([k]) => !allowed.includes(k as keyof RowCounts)));
  expect(keep(after), 'a refused or read-only request must write nothing').toEqual(keep(before));
}

// ---------------------------------------------------------------- real jobs

export interface SeededJobs {
  /** A queue with queued, delayed, prioritized and paused jobs (no worker serves it). */
  live: string;
  /** A queue whose jobs have finished (one completed, one failed). */
  finished: string;
  ids: string[];
  names: string[];
}

/**
 * A few real jobs in the isolated prefix, so generated inputs hit real queues and
 * ids: every state a request can meet, a custom id, a job whose name carries
 * markup, an RTL override and a NUL, and one whose id has a NUL (BullMQ takes
 * both, so another app's jobs may look like that).
 */
export async function seedJobs(): Promise<SeededJobs> {
  const registry = getQueues();
  const live = 'fuzz-live';
  const finished = 'fuzz-finished';
  const q = registry.get(live);
  const added = [
    await q.add('render', { n: 1 }),
    await q.add('render', { n: 2 }),
    await q.add('email', { n: 3 }, { delay: 3_600_000 }),
    await q.add('email', { n: 4 }, { priority: 5 }),
    await q.add(
      'render',
      { [MARKER_KEY]: { paused: { at: Date.now(), signalId: 1 } } },
      { delay: PARK_DELAY_MS },
    ),
    await q.add('numbered', {}, { jobId: 'order-42' }),
    await q.add(
      '\u202Erender\u0000<img src=x onerror=alert(1)>',
      { '\u0000': 1 },
      { jobId: 'odd' },
    ),
    await q.add('render', { n: 8 }, { jobId: 'nul\u0000id' }),
  ];
  const f = registry.get(finished);
  const done = await f.add('quick', {});
  const boom = await f.add('boom', {});
  const worker = new Worker(
    finished,
    async (job) => {
      if (job.name === 'boom') throw new UnrecoverableError('boom');
      return 1;
    },
    { connection: workerConnection(), prefix: registry.prefix },
  );
  const until = Date.now() + 15_000;
  while ((await f.getJobCountByTypes('completed', 'failed')) < 2) {
    if (Date.now() > until) throw new Error('seeded jobs did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
  await worker.close();
  return {
    live,
    finished,
    ids: [...added, done, boom].map((j) => String(j.id)),
    names: ['render', 'email', 'numbered', 'quick', 'boom', added[6]?.name ?? 'odd'],
  };
}
