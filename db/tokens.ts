import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { type ApiToken, apiTokens } from './auth-schema';
import type { Database } from './client';
import type { Role } from './vocabulary';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Creates a named token. The token itself is returned once and never stored:
 * only its SHA-256 (it is 192 random bits, so a fast hash is the right tool).
 */
export async function createApiToken(
  db: Database,
  input: { name: string; role: Role; createdBy: string },
): Promise<{ token: string; row: ApiToken }> {
  const token = `sd_${randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({
      name: input.name,
      role: input.role,
      createdBy: input.createdBy,
      tokenHash: hash(token),
      prefix: token.slice(0, 7),
    })
    .returning();
  if (!row) throw new Error('token insert returned nothing');
  return { token, row };
}

/** The live token for a bearer value, or null. Marks its last use (at most once a minute). */
export async function verifyApiToken(db: Database, token: string): Promise<ApiToken | null> {
  if (!token.startsWith('sd_') || token.length > 100) return null;
  const row = await db.query.apiTokens.findFirst({
    where: and(eq(apiTokens.tokenHash, hash(token)), isNull(apiTokens.revokedAt)),
  });
  if (!row) return null;
  // Last use is kept to the minute: most calls have nothing to write and skip the round trip.
  if (row.lastUsedAt && row.lastUsedAt.getTime() > Date.now() - 60_000) return row;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(Date.now() - 60_000))),
      ),
    );
  return row;
}

export function listApiTokens(db: Database): Promise<ApiToken[]> {
  return db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(db: Database, id: number): Promise<ApiToken | undefined> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
  return row;
}
