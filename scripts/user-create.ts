import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createAccount, setPassword } from '../db/accounts';
import { recordAudit } from '../db/admin-audit';
import { getAuth } from '../db/auth';
import { getDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { clearBackoff } from '../db/sign-in-backoff';
import { findUserByEmail, setUserRole } from '../db/users';
import { ROLES, type Role } from '../db/vocabulary';

/**
 * `npm run user:create -- --email ann@example.com --role admin [--name Ann] [--reset]`
 * The password comes from SIGNAL_DESK_PASSWORD, or a prompt. `--reset` sets a new
 * password (and role) for an existing account, and ends its sign-in back-off.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'viewer' },
      name: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const email = values.email?.trim().toLowerCase();
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email))
    throw new Error('--email is required (an email address)');
  if (!ROLES.includes(values.role as Role))
    throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const role = values.role as Role;
  let password = process.env.SIGNAL_DESK_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY)
      throw new Error('set SIGNAL_DESK_PASSWORD, or run in a terminal to be asked');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question('password (at least 10 characters): ');
    rl.close();
  }
  if (password.length < 10) throw new Error('the password must have at least 10 characters');

  await migrateDatabase();
  const { db } = getDb();
  const auth = getAuth();
  const existing = await findUserByEmail(db, email);
  if (existing) {
    if (!values.reset)
      throw new Error(`${email} exists already; pass --reset to set a new password and role`);
    await setPassword(auth, existing.id, password);
    // A new password ends any sign-in back-off an attacker built up on the account.
    await clearBackoff(db, email);
    await setUserRole(db, existing.id, role);
    await recordAudit(db, {
      actor: 'cli',
      action: 'user-role-changed',
      target: email,
      detail: { role, passwordReset: true },
    });
    console.log(`updated ${email}: role ${role}, new password set, sign-in back-off cleared`);
  } else {
    await createAccount(auth, db, { email, role, password, name: values.name });
    await recordAudit(db, {
      actor: 'cli',
      action: 'user-created',
      target: email,
      detail: { role },
    });
    console.log(`created ${email} with role ${role}`);
  }
  await getDb().sql.end();
}

main().catch(async (err) => {
  console.error(err instanceof Error ? err.message : err);
  await getDb().sql.end({ timeout: 1 });
  process.exit(1);
});
