import type { ReactNode } from 'react';
import { boundJson, HEAD_BYTES, type ShownText, WHOLE_JSON_BYTES } from './bounded';
import { cn } from './cn';
import { formatBytes } from './format';
import { JsonView } from './json-view';

/** Links to a value's whole text: open it in a tab, or save it. */
export function WholeValueLinks({ href, label }: { href: string; label: string }) {
  const link =
    'font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400 focus-visible:outline-2 focus-visible:outline-blue-600';
  return (
    <span className="inline-flex gap-3">
      <a
        href={href}
        target="_blank"
        rel="noopener"
        className={link}
        aria-label={`Open all of ${label}`}
      >
        Open all
      </a>
      <a
        href={`${href}${href.includes('?') ? '&' : '?'}download=1`}
        download
        className={link}
        aria-label={`Download ${label}`}
      >
        Download
      </a>
    </span>
  );
}

/** The start of a value too large to show, in a box of bounded height, with what is left out. */
export function CutValue({
  head,
  bytes,
  href,
  label,
  note,
  className,
}: {
  head: string;
  bytes: number;
  /** Where the whole value is served; null: nowhere (say so in `note`). */
  href: string | null;
  label: string;
  note?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('space-y-2', className)} data-cut-value={label}>
      <pre className="max-h-96 overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-5 break-all whitespace-pre-wrap dark:border-zinc-800 dark:bg-zinc-950">
        {head}
        <span className="text-zinc-400">{'\n'}…</span>
      </pre>
      <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span>
          {label[0]?.toUpperCase()}
          {label.slice(1)} is {formatBytes(bytes)}; this is its start.
        </span>
        {note}
        {href ? <WholeValueLinks href={href} label={label} /> : null}
      </p>
    </div>
  );
}

/**
 * A JSON value as the job page shows it: a tree when small, its start as text with
 * links to all of it when large. Decided on the server: the browser never gets the
 * whole of a large value, and never gets it twice.
 */
export function LargeJson({
  value,
  label,
  href,
  openDepth,
  wholeMax = WHOLE_JSON_BYTES,
  head = HEAD_BYTES,
  className,
}: {
  value: unknown;
  label: string;
  href: string | null;
  openDepth?: number;
  wholeMax?: number;
  head?: number;
  className?: string;
}) {
  const shown = boundJson(value, wholeMax, head);
  if (shown.whole) {
    return (
      <JsonView value={shown.value} openDepth={openDepth} label={label} className={className} />
    );
  }
  return (
    <CutValue
      head={shown.head}
      bytes={shown.bytes}
      href={href}
      label={label}
      className={className}
    />
  );
}

/** A bounded text (boundText) with the links when it was cut. */
export function CutTextNote({
  shown,
  href,
  label,
}: {
  shown: ShownText;
  href: string | null;
  label: string;
}) {
  if (!shown.cut) return null;
  return (
    <p className="mt-1.5 flex flex-wrap gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
      <span>Cut: {formatBytes(shown.bytes)} in all.</span>
      {href ? <WholeValueLinks href={href} label={label} /> : null}
    </p>
  );
}
