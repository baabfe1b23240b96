/**
 * A link to the audit list with some parameters changed (null removes one). Any
 * change but paging goes back to page 1: the old page number means nothing in a
 * new view.
 */
export function signalsHref(
  query: string,
  changes: Record<string, string | number | null | undefined>,
): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') next.delete(k);
    else next.set(k, String(v));
  }
  if (!('page' in changes)) next.delete('page');
  const qs = next.toString();
  return qs ? `/signals?${qs}` : '/signals';
}
