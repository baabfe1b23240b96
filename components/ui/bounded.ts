/**
 * What of a large value reaches the browser: pure functions, so the server page
 * decides once and the browser gets either the whole value (small) or its first
 * part as text, never both. A job's data, return value, stack traces, logs and
 * signal outcomes all go through here; the rest is a link to the whole value.
 */
import { utf8Bytes } from '@/app/contracts';

/** JSON up to this size is shown whole, as a tree. */
export const WHOLE_JSON_BYTES = 32 * 1024;
/** How much of a larger value is shown, as indented JSON text. */
export const HEAD_BYTES = 16 * 1024;

export type ShownJson =
  | { whole: true; value: unknown; bytes: number }
  | { whole: false; head: string; bytes: number };

/**
 * `value` whole when its JSON is at most `wholeMax` bytes; else the first `head`
 * bytes of it indented, cut at a line end, and its size in all.
 */
export function boundJson(
  value: unknown,
  wholeMax = WHOLE_JSON_BYTES,
  head = HEAD_BYTES,
): ShownJson {
  const compact = JSON.stringify(value) ?? 'undefined';
  // Each UTF-16 unit is at most 3 bytes: most values are decided without encoding them.
  const bytes = compact.length * 3 <= wholeMax ? compact.length : utf8Bytes(compact);
  if (bytes <= wholeMax) return { whole: true, value, bytes };
  const pretty = JSON.stringify(value, null, 2) ?? compact;
  return { whole: false, head: cutText(pretty, head, true), bytes };
}

export interface ShownText {
  text: string;
  /** Whether `text` is only the start of it. */
  cut: boolean;
  /** The whole text's size. */
  bytes: number;
}

/** At most `max` bytes of `text` (cut at a line end when `atLine`), and whether it was cut. */
export function boundText(text: string, max: number, atLine = false): ShownText {
  if (text.length * 3 <= max) return { text, cut: false, bytes: text.length };
  const bytes = utf8Bytes(text);
  if (bytes <= max) return { text, cut: false, bytes };
  return { text: cutText(text, max, atLine), cut: true, bytes };
}

/**
 * The first `maxBytes` of `text`, never splitting a surrogate pair; with `atLine`,
 * back to the last line end in the final quarter, so a cut JSON reads cleanly.
 */
export function cutText(text: string, maxBytes: number, atLine = false): string {
  // A prefix of maxBytes/3 units always fits; grow it while the bytes allow.
  let end = Math.min(text.length, Math.floor(maxBytes / 3));
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  let used = utf8Bytes(text.slice(0, end));
  while (end < text.length) {
    const code = text.codePointAt(end) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (used + size > maxBytes) break;
    used += size;
    end += code >= 0x10000 ? 2 : 1;
  }
  if (atLine) {
    const nl = text.lastIndexOf('\n', end);
    if (nl > end * 0.75) end = nl;
  }
  return text.slice(0, end);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

export interface ShownLines {
  /** The newest lines that fit, oldest first, each cut to the line budget. */
  lines: string[];
  /** How many lines (of those given) were left out before the first shown. */
  skipped: number;
  /** Whether a shown line was cut. */
  cutLine: boolean;
}

/** The newest lines of `lines` within `totalMax` bytes, each cut to `lineMax` bytes. */
export function boundLines(lines: string[], lineMax: number, totalMax: number): ShownLines {
  const out: string[] = [];
  let used = 0;
  let cutLine = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = boundText(lines[i] ?? '', lineMax);
    const size = Math.min(line.bytes, lineMax);
    if (out.length > 0 && used + size > totalMax) break;
    out.push(line.text);
    used += size;
    cutLine ||= line.cut;
  }
  return { lines: out.reverse(), skipped: lines.length - out.length, cutLine };
}
