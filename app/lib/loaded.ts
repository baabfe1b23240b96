import 'server-only';
import type { Loaded } from '@/app/contracts';
import { ServiceDownError, withServices } from './services';

/**
 * Runs a page's queries; an outage of PostgreSQL or Redis becomes data that says
 * which one (production builds hide thrown errors' messages from the browser, so
 * a thrown error could only say "something went wrong"). Other errors still throw.
 */
export async function loaded<T>(fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await withServices(fn) };
  } catch (err) {
    if (err instanceof ServiceDownError) {
      console.error(`[signal-desk] ${err.detail}`, err.cause);
      return { ok: false, service: err.service, message: err.message };
    }
    throw err;
  }
}
