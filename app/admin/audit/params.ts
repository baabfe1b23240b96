import { parseSignalListParams } from '@/app/lib/signal-list-params';
import { AUDIT_ACTIONS, type AuditFilter } from '@/db/admin-audit';
import { hasNul } from '@/db/storable';

export const AUDIT_PAGE_SIZE = 50;
/** The query parameters /admin/audit takes; any other is refused, as on /signals. */
export const AUDIT_PARAMS = ['action', 'actor', 'target', 'from', 'to', 'page'] as const;

type Params = Record<string, string | string[] | undefined>;
export type AuditParams =
  | { ok: true; filter: AuditFilter; given: Partial<Record<(typeof AUDIT_PARAMS)[number], string>> }
  | { ok: false; error: string };

const one = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/**
 * The audit trail's URL, checked as the signal list checks its own: a sentence for
 * the first value that cannot be used (an unknown action, a NUL, a date PostgreSQL
 * cannot hold, a page past 1,000,000), never a query that fails. Dates and the page
 * go through the signal list's parser, so both lists read them alike.
 */
export function parseAuditParams(params: Params): AuditParams {
  const unknown = Object.keys(params).filter(
    (k) => !(AUDIT_PARAMS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `Unknown query parameter: ${unknown.join(', ')}. Known: ${AUDIT_PARAMS.join(', ')}.`,
    };
  }
  const given: Partial<Record<(typeof AUDIT_PARAMS)[number], string>> = {};
  for (const k of AUDIT_PARAMS) {
    const v = one(params[k]);
    if (v === undefined) continue;
    if (hasNul(v)) return { ok: false, error: `${k} must not contain a NUL character (%00).` };
    given[k] = v;
  }
  if (given.action && !(AUDIT_ACTIONS as readonly string[]).includes(given.action)) {
    return {
      ok: false,
      error: `action must be one of ${AUDIT_ACTIONS.join(', ')}; got "${given.action}".`,
    };
  }
  const rest = new URLSearchParams();
  for (const k of ['from', 'to', 'page'] as const) if (given[k]) rest.set(k, given[k]);
  const parsed = parseSignalListParams(rest, ['from', 'to', 'page']);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    given,
    filter: {
      action: given.action,
      actor: given.actor,
      target: given.target,
      from: parsed.params.filter.from,
      until: parsed.params.filter.until,
      page: parsed.params.page,
      pageSize: AUDIT_PAGE_SIZE,
    },
  };
}
