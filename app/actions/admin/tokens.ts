'use server';

import { z } from 'zod';
import { recheckLiveStreams } from '@/app/api/events/live-stream';
import { safeAction } from '@/app/lib/safe-action';
import { recordAudit } from '@/db/admin-audit';
import { createApiToken, listApiTokens, revokeApiToken } from '@/db/tokens';
import { roleSchema } from './schemas';

const name = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(60, 'name is at most 60 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'name may use letters, digits, dot, dash and underscore');

/** Admin: create a named token; the token is in the answer once and never again. */
export const createToken = safeAction(
  'admin.createToken',
  z.strictObject({ name, role: roleSchema }),
  async (input, { actor, deps }) => {
    const live = (await listApiTokens(deps.db)).find((t) => t.name === input.name && !t.revokedAt);
    if (live)
      return { ok: false, error: `A live token named ${input.name} exists; revoke it first.` };
    const { token, row } = await createApiToken(deps.db, { ...input, createdBy: actor });
    await recordAudit(deps.db, {
      actor,
      action: 'token-created',
      target: `token:${row.name}`,
      detail: { role: row.role },
    });
    return { ok: true, data: { token, name: row.name, role: row.role } };
  },
);

/** Admin: revoke a token; calls with it fail with 401 from then on. */
export const revokeToken = safeAction(
  'admin.revokeToken',
  z.strictObject({ id: z.number().int().positive() }),
  async ({ id }, { actor, deps }) => {
    const row = await revokeApiToken(deps.db, id);
    if (!row) return { ok: false, error: 'That token does not exist or is already revoked.' };
    await recheckLiveStreams((a) => a.kind === 'token' && a.id === row.id);
    await recordAudit(deps.db, { actor, action: 'token-revoked', target: `token:${row.name}` });
    return { ok: true, data: { name: row.name } };
  },
);
