import { asc, eq } from 'drizzle-orm';
import { sessions, type User, users } from './auth-schema';
import type { Database } from './client';
import type { Role } from './vocabulary';

export function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, email.toLowerCase()) });
}

export function findUserById(db: Database, id: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

export function listUsers(db: Database): Promise<User[]> {
  return db.select().from(users).orderBy(asc(users.email));
}

export async function setUserRole(db: Database, id: string, role: Role): Promise<User | undefined> {
  const [row] = await db
    .update(users)
    .set({ role, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Disables (or enables) an account; disabling ends its sessions at once. */
export async function setUserDisabled(
  db: Database,
  id: string,
  disabled: boolean,
): Promise<User | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ disabled, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    if (row && disabled) await tx.delete(sessions).where(eq(sessions.userId, id));
    return row;
  });
}

export async function countAdmins(db: Database): Promise<number> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
  return rows.length;
}
