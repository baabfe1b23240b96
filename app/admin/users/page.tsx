import type { Metadata } from 'next';
import { createUser } from '@/app/actions/admin/create-user';
import { changeRole, setDisabled } from '@/app/actions/admin/update-user';
import { requirePageRole } from '@/app/lib/session';
import { UsersPanel } from '@/components/admin/users-panel';
import { getDb } from '@/db/client';
import { listUsers } from '@/db/users';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const me = await requirePageRole('admin', '/admin/users');
  const users = await listUsers(getDb().db);
  return (
    <UsersPanel
      me={me.kind === 'token' ? '' : me.email}
      actions={{ createUser, changeRole, setDisabled }}
      users={users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        disabled: u.disabled,
        createdAt: u.createdAt.toISOString(),
      }))}
    />
  );
}
