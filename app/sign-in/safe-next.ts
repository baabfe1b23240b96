const FALLBACK = '/jobs';
const ORIGIN = 'http://signal-desk.invalid';

/**
 * Where to go after signing in: a path on this dashboard, or /jobs. The value is
 * parsed as a URL against a placeholder origin and kept only if it stays on that
 * origin, so `//evil.example`, `/\evil.example` and `/\t/evil.example` (browsers
 * drop tabs and line breaks, then read `//`) all fail. Control characters and
 * backslashes are refused outright; what is kept is the URL's own serialisation
 * (percent-encoded), which is always a valid Location header.
 */
export function safeNext(next: string | string[] | undefined): string {
  const raw = Array.isArray(next) ? next[0] : next;
  if (!raw?.startsWith('/') || raw.length > 2000) return FALLBACK;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what we refuse
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(raw, ORIGIN);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== ORIGIN) return FALLBACK;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? FALLBACK : path;
}
