import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { classifyServiceError, ServiceDownError } from '@/app/lib/services';
import { type Actor, currentActor } from '@/app/lib/session';
import { SignInForm } from '@/components/auth/sign-in-form';
import { safeNext } from './safe-next';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

/** Signed in already? While PostgreSQL is down nobody is, and the form says why. */
async function signedIn(): Promise<Actor | null> {
  try {
    return await currentActor();
  } catch (err) {
    if (classifyServiceError(err) instanceof ServiceDownError) return null;
    throw err;
  }
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNext((await searchParams).next);
  // Only same-site paths (safeNext): an open redirect would hand the session to anyone's page.
  if (await signedIn()) redirect(next);
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
