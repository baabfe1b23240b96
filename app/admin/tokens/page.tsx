import type { Metadata } from 'next';
import { createToken, revokeToken } from '@/app/actions/admin/tokens';
import { requirePageRole } from '@/app/lib/session';
import { TokensPanel } from '@/components/admin/tokens-panel';
import { getDb } from '@/db/client';
import { listApiTokens } from '@/db/tokens';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function TokensPage() {
  await requirePageRole('admin', '/admin/tokens');
  const tokens = await listApiTokens(getDb().db);
  return (
    <TokensPanel
      actions={{ createToken, revokeToken }}
      tokens={tokens.map((t) => ({
        id: t.id,
        name: t.name,
        role: t.role,
        prefix: t.prefix,
        createdBy: t.createdBy,
        createdAt: t.createdAt.toISOString(),
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
        revokedAt: t.revokedAt?.toISOString() ?? null,
      }))}
    />
  );
}
