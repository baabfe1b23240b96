'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import type { TokenActions } from '@/app/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { RelativeTime } from '@/components/ui/relative-time';

export interface TokenRow {
  id: number;
  name: string;
  role: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Admin: API tokens. `actions` are the page's server actions. */
export function TokensPanel({
  tokens,
  actions: { createToken, revokeToken },
}: {
  tokens: TokenRow[];
  actions: TokenActions;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);

  function onCreate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    start(async () => {
      const r = await createToken({
        name: String(f.get('name') ?? ''),
        role: String(f.get('role')),
      });
      if (!r.ok) return void toast.error(r.error);
      setFresh({ name: r.data.name, token: r.data.token });
      form.reset();
      router.refresh();
    });
  }

  function onRevoke(t: TokenRow) {
    if (!window.confirm(`Revoke token ${t.name}? Calls with it will fail from now on.`)) return;
    start(async () => {
      const r = await revokeToken({ id: t.id });
      if (r.ok) toast.success(`Revoked ${t.name}`);
      else toast.error(r.error);
      router.refresh();
    });
  }

  return (
    <div className="space-y-6">
      <form
        onSubmit={onCreate}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <label className="text-sm">
          <span className="mb-1 block">Name</span>
          <Input name="name" required placeholder="billing-service" className="w-56" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block">Role</span>
          <Select name="role" defaultValue="support">
            <option>viewer</option>
            <option>support</option>
            <option>admin</option>
          </Select>
        </label>
        <Button type="submit" variant="primary" size="sm" disabled={pending}>
          Create token
        </Button>
      </form>
      {fresh ? (
        <Alert
          tone="info"
          title={`Token ${fresh.name} created: copy it now, it will not be shown again.`}
        >
          <code
            className="block rounded bg-zinc-100 p-2 font-mono text-xs break-all select-all dark:bg-zinc-800"
            data-testid="new-token"
          >
            {fresh.token}
          </code>
          <p className="mt-2 text-xs">
            Use it as <code>Authorization: Bearer …</code> on /api/*.
          </p>
        </Alert>
      ) : null}
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-zinc-500 uppercase">
          <tr>
            <th className="py-2">Name</th>
            <th>Role</th>
            <th>Token</th>
            <th>Created by</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th className="sr-only">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={8} className="py-6 text-center text-zinc-500">
                No tokens yet. Create one for each service or script that calls the API.
              </td>
            </tr>
          ) : null}
          {tokens.map((t) => (
            <tr key={t.id}>
              <td className="py-2 font-medium">{t.name}</td>
              <td>{t.role}</td>
              <td className="font-mono text-xs">{t.prefix}…</td>
              <td>{t.createdBy}</td>
              <td>
                <RelativeTime value={t.createdAt} />
              </td>
              <td>
                <RelativeTime value={t.lastUsedAt} fallback="never" />
              </td>
              <td>
                {t.revokedAt ? (
                  <Badge tone="gray">revoked</Badge>
                ) : (
                  <Badge tone="green">live</Badge>
                )}
              </td>
              <td className="text-right">
                {t.revokedAt ? null : (
                  <Button
                    size="xs"
                    variant="danger-ghost"
                    disabled={pending}
                    onClick={() => onRevoke(t)}
                  >
                    Revoke
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
