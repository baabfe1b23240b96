import 'server-only';
import type { z } from 'zod';
import type { RefusalCode } from '@/app/requests/rules';
import { describeIssues } from '@/app/requests/schema';
import type { Role } from '@/db/vocabulary';
import { classifyServiceError, ServiceDownError } from './services';
import { type Actor, actorFromHeaders, actorName, hasRole } from './session';

/** Largest JSON body the API reads; a bulk request of 1,000 ids fits many times over. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request the API answers with a status and `{ error }` instead of a result. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const STATUS_OF: Record<RefusalCode, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  busy: 429,
};

/** The status of a domain refusal: invalid → 400, not_found → 404, conflict → 409, busy → 429. */
export function refusalStatus(code: RefusalCode): number {
  return STATUS_OF[code];
}

export function errorResponse(
  status: number,
  error: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error }, { status, headers });
}

/**
 * Reads a JSON body and checks it against a schema. Refuses (400) a body that is
 * not declared as JSON, is larger than MAX_BODY_BYTES (read with a running count,
 * so a lying or absent Content-Length cannot make us buffer more), is not valid
 * JSON, or does not fit the schema.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError(400, 'The body must be JSON: send Content-Type: application/json.');
  }
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readCapped(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, describeIssues(parsed.error));
  return parsed.data;
}

const tooLarge = () =>
  new ApiError(400, `The body is larger than ${MAX_BODY_BYTES / 1024} KB; send less per request.`);

async function readCapped(req: Request): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The caller of an API request (a Bearer token, or the dashboard's session
 * cookie), checked for `need`: 401 when nobody (or a bad token), 403 when the
 * role is too low. Every route handler checks this itself.
 */
export async function authorize(req: Request, need: Role): Promise<Actor> {
  const actor = await actorFromHeaders(req.headers);
  if (!actor) {
    const sent = req.headers.has('authorization');
    throw new ApiError(
      401,
      sent
        ? 'The token is not valid (unknown or revoked).'
        : 'Authentication required: send Authorization: Bearer <token>.',
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  if (!hasRole(actor, need)) {
    throw new ApiError(
      403,
      `This needs the ${need} role; ${actorName(actor)} has the ${actor.role} role.`,
    );
  }
  return actor;
}

/** Runs a handler body for a caller with at least role `need` (see handleErrors). */
export function respond(
  req: Request,
  need: Role,
  fn: (actor: Actor) => Promise<Response>,
): Promise<Response> {
  return handleErrors(req, async () => fn(await authorize(req, need)));
}

/**
 * Turns what a handler throws into a response: ApiError → its status; an outage
 * of PostgreSQL or Redis → 503 naming the service (its address goes to the log
 * only); anything else → a generic 500, with the full error in the server log.
 */
export async function handleErrors(req: Request, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (raw) {
    if (raw instanceof ApiError) return errorResponse(raw.status, raw.message, raw.headers);
    const err = classifyServiceError(raw);
    if (err instanceof ServiceDownError) {
      console.error(`[api] ${req.method} ${new URL(req.url).pathname}: ${err.detail}`, err.cause);
      return errorResponse(503, `${err.message} Try again when it is back.`, {
        'Retry-After': '5',
      });
    }
    console.error(`[api] ${req.method} ${new URL(req.url).pathname} failed`, err);
    return errorResponse(500, 'Something went wrong on the server; the error has been logged.');
  }
}

/** A handler that answers 405 for a method the route does not support, naming the ones it does. */
export function methodNotAllowed(allowed: string[]): (req: Request) => Response {
  return (req) =>
    errorResponse(405, `${req.method} is not supported here; use ${allowed.join(' or ')}.`, {
      Allow: allowed.join(', '),
    });
}
