'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { toast } from 'sonner';
import { ROLES, type UserActions } from '@/app/contracts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { RelativeTime } from '@/components/ui/relative-time';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: string;
}

/** Admin: the users and their roles. `actions` are the page's server actions. */
export function UsersPanel({
  users,
  me,
  actions: { createUser, changeRole, setDisabled },
}: {
  users: UserRow[];
  me: string;
  actions: UserActions;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();

  const run = (
    p: Promise<{ ok: true; data: unknown } | { ok: false; error: string }>,
    done: string,
  ) =>
    start(async () => {
      const r = await p;
      if (r.ok) {
        toast.success(done);
        router.refresh();
      } else toast.error(r.error);
    });

  function onCreate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    const input = {
      email: String(f.get('email') ?? ''),
      name: String(f.get('name') ?? '') || undefined,
      role: String(f.get('role')),
      password: String(f.get('password') ?? ''),
    };
    run(
      createUser(input).then((r) => {
        if (r.ok) form.reset();
        return r;
      }),
      `Created ${input.email}`,
    );
  }

  return (
    <div className="space-y-6">
      <section
        aria-labelledby="new-user"
        className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <h2 id="new-user" className="mb-3 text-sm font-semibold">
          Add a user
        </h2>
        <form onSubmit={onCreate} className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="mb-1 block">Email</span>
            <Input name="email" type="email" required className="w-64" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block">Name</span>
            <Input name="name" className="w-40" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block">Role</span>
            <Select name="role" defaultValue="support">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </Select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block">Initial password (10+ characters)</span>
            <Input
              name="password"
              type="password"
              minLength={10}
              required
              className="w-56"
              autoComplete="new-password"
            />
          </label>
          <Button type="submit" variant="primary" size="sm" disabled={pending}>
            Add user
          </Button>
        </form>
      </section>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-zinc-500 uppercase">
          <tr>
            <th className="py-2">Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            <th>Created</th>
            <th className="sr-only">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {users.map((u) => (
            <tr key={u.id}>
              <td className="py-2 font-medium">{u.email}</td>
              <td>{u.name}</td>
              <td>
                <Select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  disabled={pending}
                  onChange={(e) =>
                    run(
                      changeRole({ userId: u.id, role: e.target.value }),
                      `${u.email} is now ${e.target.value}`,
                    )
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </Select>
              </td>
              <td>
                {u.disabled ? (
                  <Badge tone="red">disabled</Badge>
                ) : (
                  <Badge tone="green">active</Badge>
                )}
              </td>
              <td>
                <RelativeTime value={u.createdAt} />
              </td>
              <td className="text-right">
                {u.email === me ? (
                  <span className="text-xs text-zinc-500">you</span>
                ) : (
                  <Button
                    size="xs"
                    variant={u.disabled ? 'secondary' : 'danger-ghost'}
                    disabled={pending}
                    onClick={() =>
                      run(
                        setDisabled({ userId: u.id, disabled: !u.disabled }),
                        `${u.email} ${u.disabled ? 'enabled' : 'disabled; sessions ended'}`,
                      )
                    }
                  >
                    {u.disabled ? 'Enable' : 'Disable'}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
