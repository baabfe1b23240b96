'use client';

export function UserMenu({
  email,
  role,
  signOut: canSignOut = true,
}: {
  email: string;
  role: string;
  signOut?: boolean;
}) {
  async function signOut() {
    await fetch('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    window.location.assign('/sign-in');
  }
  return (
    <div className="ml-auto flex items-center gap-3 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">
        {email} · <span className="font-medium">{role}</span>
      </span>
      {canSignOut ? (
        <button
          type="button"
          onClick={signOut}
          className="rounded px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          Sign out
        </button>
      ) : null}
    </div>
  );
}
