import type { Auth } from './auth';
import type { User } from './auth-schema';
import type { Database } from './client';
import { findUserByEmail, setUserRole } from './users';
import type { Role } from './vocabulary';

export interface NewAccount {
  email: string;
  name?: string;
  role: Role;
  password: string;
}

/**
 * Creates an email + password account. The password is hashed by better-auth
 * (scrypt), exactly as its sign-in verifies it. Throws if the email is taken.
 */
export async function createAccount(auth: Auth, db: Database, input: NewAccount): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (await findUserByEmail(db, email))
    throw new Error(`A user with email ${email} already exists.`);
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(input.password);
  const created = await ctx.internalAdapter.createUser(
    {
      email,
      name: input.name || email.split('@')[0] || email,
    },
    { method: 'admin' },
  );
  await ctx.internalAdapter.linkAccount({
    userId: created.id,
    providerId: 'credential',
    accountId: created.id,
    password: hash,
  });
  const user = await setUserRole(db, created.id, input.role);
  if (!user) throw new Error('the new user vanished');
  return user;
}

/** Sets a new password for an existing account (used by `user:create --reset`). */
export async function setPassword(auth: Auth, userId: string, password: string): Promise<void> {
  const ctx = await auth.$context;
  await ctx.internalAdapter.updatePassword(userId, await ctx.password.hash(password));
}
