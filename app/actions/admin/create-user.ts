'use server';

import { z } from 'zod';
import { safeAction } from '@/app/lib/safe-action';
import { noNul } from '@/app/requests/schema';
import { createAccount } from '@/db/accounts';
import { recordAudit } from '@/db/admin-audit';
import { getAuth } from '@/db/auth';
import { findUserByEmail } from '@/db/users';
import { roleSchema } from './schemas';

const schema = z.strictObject({
  email: z
    .email('email must be an email address')
    .max(200)
    .transform((e) => e.toLowerCase()),
  name: z
    .string()
    .trim()
    .max(100)
    .refine(...noNul('name'))
    .optional(),
  role: roleSchema,
  password: z.string().min(10, 'password must have at least 10 characters').max(200),
});

/** Admin: create an email + password account with a role. */
export const createUser = safeAction('admin.createUser', schema, async (input, { actor, deps }) => {
  if (await findUserByEmail(deps.db, input.email)) {
    return { ok: false, error: `A user with email ${input.email} already exists.` };
  }
  const user = await createAccount(getAuth(), deps.db, input);
  await recordAudit(deps.db, {
    actor,
    action: 'user-created',
    target: user.email,
    detail: { role: user.role },
  });
  return { ok: true, data: { id: user.id, email: user.email, role: user.role } };
});
