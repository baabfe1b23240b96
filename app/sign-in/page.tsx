import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentActor } from '@/app/lib/session';
import { SignInForm } from '@/components/auth/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

/** Only same-site paths: an open redirect would hand the session to anyone's page. */
function safeNext(next: string | string[] | undefined): string {
  const n = Array.isArray(next) ? next[0] : next;
  return n?.startsWith('/') && !n.startsWith('//') && !n.startsWith('/\\') ? n : '/jobs';
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNext((await searchParams).next);
  if (await currentActor()) redirect(next);
  return (
    <div className="mx-auto mt-16 max-w-sm">
      <h1 className="mb-1 text-xl font-semibold">Sign in to Signal Desk</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Use the email and password an admin gave you.
      </p>
      <SignInForm next={next} />
    </div>
  );
}
