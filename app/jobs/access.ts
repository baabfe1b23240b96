import 'server-only';
import type { Loaded } from '@/app/contracts';
import { loaded } from '../lib/loaded';
import { type Actor, requirePageRole } from '../lib/session';

/**
 * The viewer role for a job page, or the outage that keeps us from checking it:
 * sessions live in PostgreSQL, and a page must say so instead of failing blindly.
 * The sign-in and forbidden redirects pass through untouched.
 */
export function viewerAccess(path: string): Promise<Loaded<Actor>> {
  return loaded(() => requirePageRole('viewer', path));
}
