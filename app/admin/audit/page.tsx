import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageRole } from '@/app/lib/session';
import { Input, Select } from '@/components/ui/input';
import { InvalidFilters } from '@/components/ui/invalid-filters';
import { RelativeTime } from '@/components/ui/relative-time';
import { AUDIT_ACTIONS, listAudit } from '@/db/admin-audit';
import { getDb } from '@/db/client';
import { AUDIT_PAGE_SIZE, parseAuditParams } from './params';

export const metadata: Metadata = { title: 'Audit trail' };
export const dynamic = 'force-dynamic';

type Params = Record<string, string | string[] | undefined>;

/** Who did what beyond signals: sign-ins, users and roles, tokens, queue controls. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requirePageRole('admin', '/admin/audit');
  const parsed = parseAuditParams(await searchParams);
  if (!parsed.ok) {
    return (
      <InvalidFilters
        error={parsed.error}
        resetHref="/admin/audit"
        resetLabel="Show the whole trail"
      />
    );
  }
  const { filter, given } = parsed;
  const { events, total } = await listAudit(getDb().db, filter);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const link = (page: number) => {
    const q = new URLSearchParams();
    for (const k of ['action', 'actor', 'target', 'from', 'to'] as const) {
      const v = given[k];
      if (v) q.set(k, v);
    }
    q.set('page', String(page));
    return `/admin/audit?${q}`;
  };
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <label>
          <span className="mb-1 block">Action</span>
          <Select name="action" defaultValue={filter.action ?? ''}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </Select>
        </label>
        <label>
          <span className="mb-1 block">Actor</span>
          <Input name="actor" defaultValue={filter.actor} className="w-48" />
        </label>
        <label>
          <span className="mb-1 block">Target</span>
          <Input name="target" defaultValue={filter.target} className="w-48" />
        </label>
        <label>
          <span className="mb-1 block">From</span>
          <Input name="from" type="date" defaultValue={given.from} />
        </label>
        <label>
          <span className="mb-1 block">To</span>
          <Input name="to" type="date" defaultValue={given.to} />
        </label>
        <button
          type="submit"
          className="h-8 rounded-md border border-zinc-300 px-3 dark:border-zinc-700"
        >
          Filter
        </button>
      </form>
      <p className="text-sm text-zinc-500">{total} events</p>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-zinc-500 uppercase">
          <tr>
            <th className="py-2">When</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
            <th>Address</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {events.map((e) => (
            <tr key={e.id}>
              <td className="py-2">
                <RelativeTime value={e.at.toISOString()} />
              </td>
              <td>{e.actor}</td>
              <td className="font-medium">{e.action}</td>
              <td>{e.target}</td>
              <td className="font-mono text-xs">{e.ip}</td>
              <td
                className="max-w-xs truncate font-mono text-xs"
                title={e.detail ? JSON.stringify(e.detail) : ''}
              >
                {e.detail ? JSON.stringify(e.detail) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {filter.page > 1 ? <Link href={link(filter.page - 1)}>Previous</Link> : null}
        <span>
          Page {filter.page} of {pages}
        </span>
        {filter.page < pages ? <Link href={link(filter.page + 1)}>Next</Link> : null}
      </nav>
    </div>
  );
}
