import Link from 'next/link';
import type { ReactNode } from 'react';

export const dynamic = 'force-dynamic';

const TABS = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/tokens', label: 'API tokens' },
  { href: '/admin/audit', label: 'Audit trail' },
];

/** Each admin page checks the admin role itself; the layout only draws the tabs. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <nav
        aria-label="Admin"
        className="flex gap-4 border-b border-zinc-200 text-sm dark:border-zinc-800"
      >
        {TABS.map((t) => (
          <Link
            key={t.href}
            href={t.href}
            className="-mb-px border-b-2 border-transparent px-1 pb-2 hover:border-zinc-400"
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}
