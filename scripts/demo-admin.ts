import { randomBytes } from 'node:crypto';
import { createAccount, setPassword } from '../db/accounts';
import { getAuth } from '../db/auth';
import { getDb } from '../db/client';
import { findUserByEmail, setUserDisabled, setUserRole } from '../db/users';

export const DEMO_ADMIN = 'admin@signal-desk.demo';

/**
 * The demo's admin account, with a fresh password each start (printed once by
 * `npm run demo`). Only the demo does this; real admins come from `user:create`.
 */
export async function ensureDemoAdmin(): Promise<{ email: string; password: string }> {
  const { db } = getDb();
  const auth = getAuth();
  const password = randomBytes(9).toString('base64url');
  const existing = await findUserByEmail(db, DEMO_ADMIN);
  if (existing) {
    await setPassword(auth, existing.id, password);
    await setUserRole(db, existing.id, 'admin');
    if (existing.disabled) await setUserDisabled(db, existing.id, false);
  } else {
    await createAccount(auth, db, {
      email: DEMO_ADMIN,
      name: 'Demo admin',
      role: 'admin',
      password,
    });
  }
  return { email: DEMO_ADMIN, password };
}
