import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../app/actions/admin/create-user';
import { setQueuePaused } from '../../app/actions/admin/queue-control';
import { createToken, revokeToken } from '../../app/actions/admin/tokens';
import { changeRole, setDisabled } from '../../app/actions/admin/update-user';
import { countNamedJobsAction } from '../../app/actions/count-named-jobs';
import { requestBulkSignalsAction } from '../../app/actions/request-bulk-signals';
import { requestSignalAction } from '../../app/actions/request-signal';
import type { Role } from '../../db/vocabulary';
import { fixtures, ownDatabase, resetServices, uniqueQueue } from '../helpers';
import { caller, signInAs } from './actions-helpers';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

// Its own database: "a refusal writes nothing" counts every row, which files
// running beside it would change.
const own = ownDatabase('admin_actions');
const fx = fixtures();
let queue = '';
let jobId = '';
beforeAll(async () => {
  await own.create();
  queue = uniqueQueue('authz');
  jobId = String((await fx.add(queue, 'job', {}, { delay: 60_000 })).id);
});
afterAll(async () => {
  await resetServices();
  await fx.close();
  await own.drop();
});

type Result = { ok: boolean; error?: string };
interface ActionCase {
  name: string;
  need: Role;
  call: () => Promise<Result>;
}

const ACTIONS: ActionCase[] = [
  {
    name: 'countNamedJobs',
    need: 'viewer',
    call: () => countNamedJobsAction({ queue, name: 'job' }),
  },
  {
    name: 'requestSignal',
    need: 'support',
    call: () => requestSignalAction({ queue, jobId, signal: 'cancel' }),
  },
  {
    name: 'requestBulkSignals',
    need: 'support',
    call: () => requestBulkSignalsAction({ queue, signal: 'pause', jobIds: [jobId] }),
  },
  {
    name: 'admin.createUser',
    need: 'admin',
    call: () =>
      createUser({
        email: `new-${randomUUID().slice(0, 6)}@example.com`,
        role: 'viewer',
        password: 'long-enough-pw',
      }),
  },
  {
    name: 'admin.changeRole',
    need: 'admin',
    call: () => changeRole({ userId: 'no-such-user', role: 'admin' }),
  },
  {
    name: 'admin.setDisabled',
    need: 'admin',
    call: () => setDisabled({ userId: 'no-such-user', disabled: true }),
  },
  {
    name: 'admin.createToken',
    need: 'admin',
    call: () => createToken({ name: `t-${randomUUID().slice(0, 6)}`, role: 'viewer' }),
  },
  { name: 'admin.revokeToken', need: 'admin', call: () => revokeToken({ id: 999_999 }) },
  {
    name: 'admin.setQueuePaused',
    need: 'admin',
    call: () => setQueuePaused({ queue, paused: false }),
  },
];

const RANK: Record<Role, number> = { viewer: 0, support: 1, admin: 2 };
const counts = async () =>
  (
    await fx.sql`select (select count(*) from job_signals)::int as s, (select count(*) from users)::int as u,
     (select count(*) from api_tokens)::int as t, (select count(*) from audit_events)::int as a`
  )[0];

describe('server action authorisation matrix', () => {
  for (const action of ACTIONS) {
    for (const who of ['signed out', 'viewer', 'support', 'admin'] as const) {
      const allowed = who !== 'signed out' && RANK[who] >= RANK[action.need];
      it(`${action.name} as ${who} → ${allowed ? 'runs' : 'refused'}`, async () => {
        signInAs(
          who === 'signed out' ? null : `${who}@example.com`,
          who === 'signed out' ? 'viewer' : who,
        );
        const before = await counts();
        const r = await action.call();
        if (allowed) {
          // Runs: either done, or refused by the body for its own reason (unknown user…), never for the role.
          if (!r.ok) expect(r.error).not.toMatch(/sign in|role|not allowed/i);
        } else {
          expect(r.ok).toBe(false);
          expect(r.error).toMatch(who === 'signed out' ? /sign in/i : new RegExp(`${action.need}`));
          expect(await counts()).toEqual(before);
        }
      });
    }
  }
});
