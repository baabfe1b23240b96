import 'server-only';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SignalDeps } from '@/app/requests/request-signal';
import { describeIssues } from '@/app/requests/schema';
import type { Role } from '@/db/vocabulary';
import { classifyServiceError, deps, ServiceDownError } from './services';
import { type Actor, actorName, currentActor, hasRole } from './session';

/** What every server action answers. Refusals and outages carry a sentence for the user. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string };

export interface ActionContext {
  /** Who asked, as `requested_by` and audit entries name them (email, or `token:<name>`). */
  actor: string;
  role: Role;
  deps: SignalDeps;
}

export interface ActionEnv {
  actor: () => Promise<Actor | null>;
  deps: () => SignalDeps;
  log: (message: string, err: unknown) => void;
}

const defaultEnv: ActionEnv = {
  actor: currentActor,
  deps,
  log: (message, err) => console.error(message, err),
};

export interface ActionOptions {
  /** The least role that may call it. Default: `admin` for `admin.*` names, else `support`. */
  role?: Role;
}

type Body<S extends z.ZodType, T> = (
  input: z.output<S>,
  ctx: ActionContext,
) => Promise<ActionResult<T>>;

const WHAT: Record<Role, string> = {
  viewer: 'look',
  support: 'cancel, pause or resume jobs',
  admin: 'administer Signal Desk',
};

/**
 * Builds actions that all behave the same way: who is calling and may they, then
 * zod on the input (a server action is a public POST endpoint; its TypeScript types
 * promise nothing), then the body. An outage of PostgreSQL or Redis says which one;
 * any other error is logged in full with a reference, and the user gets a generic
 * sentence with that reference.
 */
export function createActionClient(env: ActionEnv = defaultEnv) {
  return function safeAction<S extends z.ZodType, T>(
    name: string,
    schema: S,
    body: Body<S, T>,
    options: ActionOptions = {},
  ) {
    const need: Role = options.role ?? (name.startsWith('admin.') ? 'admin' : 'support');
    return async (input: unknown): Promise<ActionResult<T>> => {
      try {
        const actor = await env.actor();
        if (!actor) return { ok: false, error: 'You are signed out. Sign in again, then retry.' };
        const role = actor.role;
        if (!hasRole(actor, need)) {
          return {
            ok: false,
            error: `Your role (${role}) may not ${WHAT[need]}; ask an admin for the ${need} role.`,
          };
        }
        const parsed = schema.safeParse(input);
        if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
        return await body(parsed.data, {
          actor: actorName(actor),
          role: actor.role,
          deps: env.deps(),
        });
      } catch (err) {
        const known = classifyServiceError(err);
        if (known instanceof ServiceDownError) {
          env.log(`[action ${name}] ${known.detail}`, err);
          return {
            ok: false,
            error: `${known.message} Nothing was sent; try again when it is back.`,
          };
        }
        const ref = randomUUID().slice(0, 8);
        env.log(`[action ${name}] failed (ref ${ref})`, err);
        return {
          ok: false,
          error: `Something went wrong on the server (reference ${ref}). The server log has the details.`,
        };
      }
    };
  };
}

/** The wrapper every server action of the dashboard goes through. */
export const safeAction = createActionClient();
