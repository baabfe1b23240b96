'use client';

import { useState } from 'react';
import { cn } from './cn';
import { formatCount, plural } from './format';
import { CheckIcon, CopyIcon } from './icons';

const MAX_ITEMS = 200;

function Primitive({ value }: { value: unknown }) {
  if (value === null) return <span className="text-zinc-500">null</span>;
  if (value === undefined) return <span className="text-zinc-500">undefined</span>;
  if (typeof value === 'string')
    return (
      <span className="break-all text-emerald-700 dark:text-emerald-400">
        {JSON.stringify(value)}
      </span>
    );
  if (typeof value === 'number' || typeof value === 'bigint')
    return <span className="text-blue-700 dark:text-blue-400">{String(value)}</span>;
  if (typeof value === 'boolean')
    return <span className="text-violet-700 dark:text-violet-400">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

// Every row starts with a 1 rem slot (the chevron of an object, empty for a value), so
// keys line up; children are indented by one slot.
const SLOT = 'inline-block w-4 shrink-0 text-center text-zinc-400';
// Direct-child selectors, not group-open: nested <details> would all follow the outermost.
const WHEN_CLOSED = '[details[open]>summary_&]:hidden';
const CHEVRON = `${SLOT} transition-transform [details[open]>summary>&]:rotate-90`;

function Node({
  name,
  value,
  depth,
  openDepth,
}: {
  name?: string;
  value: unknown;
  depth: number;
  openDepth: number;
}) {
  const label =
    name === undefined ? null : <span className="text-zinc-600 dark:text-zinc-400">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="flex">
        <span className={SLOT} aria-hidden="true" />
        <span className="min-w-0">
          {label}
          <Primitive value={value} />
        </span>
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="flex">
        <span className={SLOT} aria-hidden="true" />
        <span>
          {label}
          <span className="text-zinc-500">{open + close}</span>
        </span>
      </div>
    );
  }
  const summary = plural(entries.length, Array.isArray(value) ? 'item' : 'key');
  return (
    // <details> gives keyboard and screen-reader support for free: Enter or Space toggles.
    <details open={depth < openDepth}>
      <summary className="flex cursor-pointer list-none rounded hover:bg-zinc-100 dark:hover:bg-zinc-800/60 [&::-webkit-details-marker]:hidden">
        <span className={CHEVRON} aria-hidden="true">
          ›
        </span>
        <span>
          {label}
          <span className="text-zinc-500">{open}</span>
          <span className={`text-zinc-400 ${WHEN_CLOSED}`}>
            {' '}
            {summary} {close}
          </span>
        </span>
      </summary>
      <div className="pl-4">
        {entries.slice(0, MAX_ITEMS).map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />
        ))}
        {entries.length > MAX_ITEMS ? (
          <div className="pl-4 text-zinc-500">… {formatCount(entries.length - MAX_ITEMS)} more</div>
        ) : null}
      </div>
      <div className="pl-4 text-zinc-500">{close}</div>
    </details>
  );
}

export interface JsonViewProps {
  value: unknown;
  /** Levels open at first; deeper ones start collapsed. */
  openDepth?: number;
  className?: string;
  /** Accessible name of the copy button. */
  label?: string;
}

/** Readable, collapsible JSON with a copy button. */
export function JsonView({ value, openDepth = 2, className, label = 'JSON' }: JsonViewProps) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(JSON.stringify(value, null, 2));
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div
      className={cn(
        'relative overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 py-2 pr-10 pl-1 font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950',
        className,
      )}
    >
      <button
        type="button"
        onClick={copy}
        aria-label={copied ? `${label} copied` : `Copy ${label}`}
        className="absolute top-1.5 right-1.5 rounded-md p-1.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        {copied ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
      </button>
      <Node value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}
