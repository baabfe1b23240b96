import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getFollow } from '../../app/api/follow/route';
import { GET as getRelations } from '../../app/api/jobs/[queue]/[id]/relations/route';
import { GET as getJob } from '../../app/api/jobs/[queue]/[id]/route';
import { GET as getValue } from '../../app/api/jobs/[queue]/[id]/values/[field]/route';
import { GET as listJobs } from '../../app/api/jobs/route';
import { GET as getOperation } from '../../app/api/operations/[id]/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { GET as exportCsv } from '../../app/api/signals/export/route';
import { GET as listSignals, POST as postSignal } from '../../app/api/signals/route';
import { createApiToken } from '../../db/tokens';
import type { Role } from '../../db/vocabulary';
import { fixtures, uniqueQueue } from '../helpers';
import { apiRequest, closeServices, routeParams } from './api-client';

const fx = fixtures();
const tokens: Partial<Record<Role, string>> = {};
let queue = '';
let jobId = '';
let operationId = '';

beforeAll(async () => {
  for (const role of ['viewer', 'support', 'admin'] as const) {
    tokens[role] = (
      await createApiToken(fx.db, { name: `authz-${role}-${Date.now()}`, role, createdBy: 't' })
    ).token;
  }
  queue = uniqueQueue('authz');
  jobId = (await fx.add(queue, 'job', {}))?.id as string;
  const bulk = await postBulk(
    apiRequest(
      'POST',
      '/api/signals/bulk',
      { queue, signal: 'cancel', jobIds: ['none'] },
      { authorization: `Bearer ${tokens.support}` },
    ),
  );
  operationId = String(((await bulk.json()) as { operationId: number }).operationId);
});
afterAll(async () => {
  await closeServices();
  await fx.close();
});

type Caller = 'signed out' | 'bad token' | Role;
const CALLERS: Caller[] = ['signed out', 'bad token', 'viewer', 'support', 'admin'];
const auth = (c: Caller): Record<string, string> =>
  c === 'signed out'
    ? {}
    : { authorization: `Bearer ${c === 'bad token' ? 'sd_forged-token-value' : tokens[c]}` };

interface Route {
  name: string;
  need: Role;
  call: (headers: Record<string, string>) => Promise<Response>;
}

const ROUTES: Route[] = [
  {
    name: 'GET /api/jobs',
    need: 'viewer',
    call: (h) => listJobs(apiRequest('GET', `/api/jobs?queue=${queue}`, undefined, h)),
  },
  {
    name: 'GET /api/jobs/:queue/:id',
    need: 'viewer',
    call: (h) =>
      getJob(
        apiRequest('GET', `/api/jobs/${queue}/${jobId}`, undefined, h),
        routeParams({ queue, id: jobId }),
      ),
  },
  {
    name: 'GET /api/jobs/:queue/:id/values/data',
    need: 'viewer',
    call: (h) =>
      getValue(
        apiRequest('GET', `/api/jobs/${queue}/${jobId}/values/data`, undefined, h),
        routeParams({ queue, id: jobId, field: 'data' }),
      ),
  },
  {
    name: 'GET /api/jobs/:queue/:id/relations',
    need: 'viewer',
    call: (h) =>
      getRelations(
        apiRequest('GET', `/api/jobs/${queue}/${jobId}/relations`, undefined, h),
        routeParams({ queue, id: jobId }),
      ),
  },
  {
    name: 'GET /api/signals',
    need: 'viewer',
    call: (h) => listSignals(apiRequest('GET', '/api/signals', undefined, h)),
  },
  {
    name: 'GET /api/signals/export',
    need: 'viewer',
    call: (h) => exportCsv(apiRequest('GET', '/api/signals/export', undefined, h)),
  },
  {
    name: 'GET /api/operations/:id',
    need: 'viewer',
    call: (h) =>
      getOperation(
        apiRequest('GET', `/api/operations/${operationId}`, undefined, h),
        routeParams({ id: operationId }),
      ),
  },
  {
    name: 'GET /api/follow',
    need: 'viewer',
    call: (h) =>
      getFollow(apiRequest('GET', `/api/follow?operations=${operationId}`, undefined, h)),
  },
  {
    name: 'POST /api/signals',
    need: 'support',
    call: (h) =>
      postSignal(apiRequest('POST', '/api/signals', { queue, jobId, signal: 'pause' }, h)),
  },
  {
    name: 'POST /api/signals/bulk',
    need: 'support',
    call: (h) =>
      postBulk(
        apiRequest('POST', '/api/signals/bulk', { queue, signal: 'pause', jobIds: [jobId] }, h),
      ),
  },
];

const RANK: Record<Role, number> = { viewer: 0, support: 1, admin: 2 };
// Scoped to this file's queue: other files write signals into the shared database
// at the same time, so a whole-table count is not this test's to assert on.
const signalsOfQueue = async () =>
  Number((await fx.sql`select count(*)::int as n from job_signals where queue = ${queue}`)[0]?.n);

function expected(caller: Caller, need: Role): 'ok' | 401 | 403 {
  if (caller === 'signed out' || caller === 'bad token') return 401;
  return RANK[caller] >= RANK[need] ? 'ok' : 403;
}

describe('API authorisation matrix', () => {
  for (const route of ROUTES) {
    for (const caller of CALLERS) {
      const want = expected(caller, route.need);
      it(`${route.name} as ${caller} → ${want}`, async () => {
        const before = await signalsOfQueue();
        const res = await route.call(auth(caller));
        if (want === 'ok') {
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(300);
        } else {
          expect(res.status).toBe(want);
          const body = (await res.json()) as { error: string };
          if (want === 401) {
            expect(body.error).toBe(
              caller === 'bad token'
                ? 'The token is not valid (unknown or revoked).'
                : 'Authentication required: send Authorization: Bearer <token>.',
            );
          } else {
            expect(body.error).toMatch(
              new RegExp(
                `^This needs the ${route.need} role; token:authz-${caller}-\\d+ has the ${caller} role\\.$`,
              ),
            );
          }
          // A refusal writes nothing.
          expect(await signalsOfQueue()).toBe(before);
        }
      });
    }
  }
});
