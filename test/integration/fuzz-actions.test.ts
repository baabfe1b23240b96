/**
 * Hostile input against every server action: 1,000 generated inputs each, as a
 * forged POST could send them (a server action is a public endpoint; React can
 * deliver Maps, Sets, Dates, BigInts, typed arrays and sparse arrays too), from
 * callers of every role. Every answer is `{ ok: true, … }` or `{ ok: false,
 * error }` with a sentence (never the generic server error, never a throw), and
 * a refusal writes no row.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../app/actions/admin/create-user';
import { setQueuePaused } from '../../app/actions/admin/queue-control';
import { createToken, revokeToken } from '../../app/actions/admin/tokens';
import { changeRole, setDisabled } from '../../app/actions/admin/update-user';
import { countNamedJobsAction } from '../../app/actions/count-named-jobs';
import { requestBulkSignalsAction } from '../../app/actions/request-bulk-signals';
import { requestSignalAction } from '../../app/actions/request-signal';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import { getDb } from '../../db/client';
import { createApiToken } from '../../db/tokens';
import { ROLES, SIGNAL_KINDS } from '../../db/vocabulary';
import { caller, signInAs } from './actions-helpers';
import {
  actionAnything,
  expectCleanResult,
  expectNoPollution,
  expectNoWrites,
  FUZZ_RUNS,
  hostileString,
  hostileValue,
  type Isolated,
  isolate,
  mostly,
  type RowCounts,
  type SeededJobs,
  seedJobs,
  shaped,
} from './fuzz-helpers';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

const ACTOR = 'fuzz-admin@example.com';

let iso: Isolated;
let jobs: SeededJobs;
const userIds: string[] = [];
const tokenIds: number[] = [];

beforeAll(async () => {
  iso = await isolate('fuzz_actions');
  const { db } = getDb();
  for (const [email, role] of [
    ['ann@example.com', 'support'],
    ['bob@example.com', 'admin'],
  ] as const) {
    userIds.push(
      (await createAccount(getAuth(), db, { email, role, password: 'long-password-1' })).id,
    );
  }
  for (const name of ['ci', 'deploy']) {
    tokenIds.push((await createApiToken(db, { name, role: 'support', createdBy: 'fuzz' })).row.id);
  }
  jobs = await seedJobs();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await iso?.close();
});

/** Mostly an admin (so most inputs reach the action's body); sometimes a lower role or nobody. */
const callerArb = fc.oneof(
  { weight: 9, arbitrary: fc.constant('admin' as const) },
  { weight: 1, arbitrary: fc.constantFrom('viewer' as const, 'support' as const, null) },
);

/** The fields most of the time; else a hostile JSON value, or any value React can decode. */
const inputOf = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    { weight: 8, arbitrary: shaped(fields) as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: actionAnything },
  );

type Result = { ok: boolean; error?: string };
type Tally = { ok: number; refused: number };

/**
 * Runs `FUZZ_RUNS` generated inputs through `action`; each answer must be clean,
 * leave Object.prototype alone, and write only the tables a success may write.
 */
async function fuzz(
  what: string,
  input: fc.Arbitrary<unknown>,
  action: (input: unknown) => Promise<Result>,
  successWrites: (keyof RowCounts)[],
): Promise<Tally> {
  const tally: Tally = { ok: 0, refused: 0 };
  let last = await iso.counts();
  await fc.assert(
    fc.asyncProperty(input, callerArb, async (value, role) => {
      signInAs(role ? ACTOR : null, role ?? 'viewer');
      // Nothing else writes to this file's database: one run's "after" is the next one's "before".
      const before = last;
      const result: unknown = await action(value);
      const after = await iso.counts();
      last = after;
      expectCleanResult(result);
      const ok = (result as Result).ok;
      tally[ok ? 'ok' : 'refused']++;
      expectNoWrites(before, after, ok ? successWrites : []);
      expectNoPollution();
    }),
  );
  console.log(`[fuzz] ${what}: ${FUZZ_RUNS} runs, ${tally.ok} ok, ${tally.refused} refused`);
  return tally;
}

const queueArb = () => fc.constantFrom(jobs.live, jobs.finished, 'no-such-queue');
const idArb = () => fc.constantFrom(...jobs.ids, 'no-such-job');
const reasonArb = fc.oneof(fc.constantFrom(null, '', 'customer asked'), hostileString);
const roleArb = mostly(fc.constantFrom(...ROLES, 'root', 'ADMIN'));

describe('hostile input: every server action answers { ok } or { ok: false, error }, and a refusal writes nothing', () => {
  it(`requestSignalAction (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'requestSignalAction',
      inputOf({
        queue: mostly(queueArb()),
        jobId: mostly(idArb()),
        signal: mostly(fc.constantFrom(...SIGNAL_KINDS)),
        reason: reasonArb,
      }),
      requestSignalAction,
      ['job_signals'],
    );
    expect(t.ok, 'some inputs got past validation').toBeGreaterThan(10);
  });

  it(`requestBulkSignalsAction (${FUZZ_RUNS} inputs: by ids, by name, both, neither)`, async () => {
    const common = {
      queue: mostly(queueArb()),
      signal: mostly(fc.constantFrom(...SIGNAL_KINDS)),
      reason: reasonArb,
    };
    const ids = fc.oneof(
      { weight: 6, arbitrary: fc.array(mostly(idArb()), { maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: 1001 }, (_, i) => String(i))) },
      { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 4 }) },
    );
    const name = mostly(fc.constantFrom(...jobs.names));
    const t = await fuzz(
      'requestBulkSignalsAction',
      fc.oneof(
        inputOf({ ...common, jobIds: ids }),
        inputOf({ ...common, name }),
        inputOf({ ...common, jobIds: ids, name }),
      ),
      requestBulkSignalsAction,
      ['job_signals', 'signal_operations'],
    );
    expect(t.ok).toBeGreaterThan(10);
  });

  it(`countNamedJobsAction (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'countNamedJobsAction',
      inputOf({ queue: mostly(queueArb()), name: mostly(fc.constantFrom(...jobs.names)) }),
      countNamedJobsAction,
      [],
    );
    expect(t.ok).toBeGreaterThan(10);
  });

  it(`admin.createUser (${FUZZ_RUNS} inputs)`, async () => {
    // A few fresh addresses, so some inputs create an account (each costs a password hash).
    const fresh = fc.integer({ min: 1, max: 24 }).map((n) => `user${n}@example.com`);
    const known = fc.constantFrom(
      'carol@example.com',
      'CAROL@example.com',
      'ann@example.com',
      ' dave@example.com ',
      'not-an-email',
      'a@b',
      '"q"@example.com',
      'ünï@example.com',
      'x@[127.0.0.1]',
      'e\u0000@example.com',
      `${'x'.repeat(190)}@example.com`,
    );
    const email = fc.oneof(fresh, known);
    const t = await fuzz(
      'admin.createUser',
      inputOf({
        email: mostly(email),
        name: fc.oneof(fc.constantFrom(undefined, 'Carol', ''), hostileString),
        role: roleArb,
        password: mostly(
          fc.constantFrom(
            'correct-horse-battery',
            'short',
            'x'.repeat(200),
            'x'.repeat(201),
            '\u0000'.repeat(12),
            '\uD800'.repeat(12),
          ),
        ),
      }),
      createUser,
      ['users', 'audit_events'],
    );
    expect(t.ok).toBeGreaterThan(0);
  });

  it(`admin.changeRole (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'admin.changeRole',
      inputOf({ userId: mostly(fc.constantFrom(...userIds, 'nope')), role: roleArb }),
      changeRole,
      ['audit_events'],
    );
    expect(t.ok).toBeGreaterThan(10);
  });

  it(`admin.setDisabled (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'admin.setDisabled',
      inputOf({
        userId: mostly(fc.constantFrom(...userIds, 'nope')),
        disabled: mostly(fc.boolean()),
      }),
      setDisabled,
      ['audit_events'],
    );
    expect(t.ok).toBeGreaterThan(10);
  });

  it(`admin.createToken (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'admin.createToken',
      inputOf({
        name: mostly(
          fc.oneof(
            fc.constantFrom('ci', 'a.b_c-d', '-bad', 'x'.repeat(61), 'ci\u0000'),
            fc.integer({ min: 1, max: 50 }).map((n) => `bot-${n}`),
          ),
        ),
        role: roleArb,
      }),
      createToken,
      ['api_tokens', 'audit_events'],
    );
    expect(t.ok).toBeGreaterThan(0);
  });

  it(`admin.revokeToken (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'admin.revokeToken',
      inputOf({
        id: mostly(
          fc.oneof(
            fc.constantFrom(...tokenIds, 0, -1, 1.5, 2 ** 31, 2 ** 53, 2 ** 63, 1e308),
            fc.integer({ min: 1, max: 10 }),
            fc.integer(),
          ),
        ),
      }),
      revokeToken,
      ['audit_events'],
    );
    expect(t.ok).toBeGreaterThan(0);
  });

  it(`admin.setQueuePaused (${FUZZ_RUNS} inputs)`, async () => {
    const t = await fuzz(
      'admin.setQueuePaused',
      inputOf({ queue: mostly(queueArb()), paused: mostly(fc.boolean()) }),
      setQueuePaused,
      ['audit_events'],
    );
    expect(t.ok).toBeGreaterThan(10);
  });
});
