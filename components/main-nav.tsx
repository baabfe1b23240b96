'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/jobs', label: 'Jobs' },
  { href: '/signals', label: 'Signals' },
  { href: '/queues', label: 'Queues' },
];

export function MainNav({ admin = false }: { admin?: boolean }) {
  const path = usePathname();
  const links = admin ? [...LINKS, { href: '/admin/users', label: 'Admin' }] : LINKS;
  return (
    <nav aria-label="Main" className="flex gap-1 text-sm">
      {links.map((l) => {
        const section = l.href === '/admin/users' ? '/admin' : l.href;
        const active = path === section || path.startsWith(`${section}/`);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded px-3 py-1.5 ${active ? 'bg-zinc-100 font-medium dark:bg-zinc-800' : 'text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800'}`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
