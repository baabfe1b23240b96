'use server';

import { z } from 'zod';
import { recheckLiveStreams } from '@/app/api/events/live-stream';
import { safeAction } from '@/app/lib/safe-action';
import { recordAudit } from '@/db/admin-audit';
import { countAdmins, findUserById, setUserDisabled, setUserRole } from '@/db/users';
import { roleSchema, userIdSchema } from './schemas';

/** Admin: change a user's role. The last admin cannot demote themselves away. */
export const changeRole = safeAction(
  'admin.changeRole',
  z.strictObject({ userId: userIdSchema, role: roleSchema }),
  async ({ userId, role }, { actor, deps }) => {
    const user = await findUserById(deps.db, userId);
    if (!user) return { ok: false, error: 'That user does not exist.' };
    if (user.role === role) return { ok: true, data: { email: user.email, role } };
    if (user.role === 'admin' && (await countAdmins(deps.db)) <= 1) {
      return { ok: false, error: 'This is the last admin; make someone else admin first.' };
    }
    await setUserRole(deps.db, userId, role);
    await recordAudit(deps.db, {
      actor,
      action: 'user-role-changed',
      target: user.email,
      detail: { from: user.role, to: role },
    });
    return { ok: true, data: { email: user.email, role } };
  },
);

/** Admin: disable an account (its sessions end at once) or enable it again. */
export const setDisabled = safeAction(
  'admin.setDisabled',
  z.strictObject({ userId: userIdSchema, disabled: z.boolean() }),
  async ({ userId, disabled }, { actor, deps }) => {
    const user = await findUserById(deps.db, userId);
    if (!user) return { ok: false, error: 'That user does not exist.' };
    if (disabled && user.email === actor)
      return { ok: false, error: 'You cannot disable your own account.' };
    await setUserDisabled(deps.db, userId, disabled);
    // Its sessions are gone; its open live-event streams go with them.
    if (disabled)
      await recheckLiveStreams(
        (a) =>
          (a.kind === 'user' && a.id === userId) || (a.kind === 'proxy' && a.email === user.email),
      );
    await recordAudit(deps.db, {
      actor,
      action: disabled ? 'user-disabled' : 'user-enabled',
      target: user.email,
    });
    return { ok: true, data: { email: user.email, disabled } };
  },
);
