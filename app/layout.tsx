import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { UserMenu } from '@/components/auth/user-menu';
import { MainNav } from '@/components/main-nav';
import { type Actor, currentActor } from './lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Signal Desk', template: '%s · Signal Desk' },
  description: 'Cancel, pause and resume background jobs safely.',
};

/** The header's user; an outage of PostgreSQL is the page's to report, not the header's. */
async function headerActor(): Promise<Actor | null> {
  try {
    return await currentActor();
  } catch {
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await headerActor();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          Skip to content
        </a>
        <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mx-auto flex h-12 max-w-[1400px] items-center gap-6 px-4">
            <span className="font-semibold tracking-tight">Signal Desk</span>
            {actor ? <MainNav admin={actor.role === 'admin'} /> : null}
            {actor && actor.kind !== 'token' ? (
              <UserMenu email={actor.email} role={actor.role} signOut={actor.kind === 'user'} />
            ) : null}
          </div>
        </header>
        <main id="main" className="mx-auto max-w-[1400px] px-4 py-6">
          {children}
        </main>
        <Toaster richColors closeButton position="bottom-right" />
      </body>
    </html>
  );
}
