'use client';

import { useState } from 'react';
import { cn } from './cn';
import { oneLine } from './format';
import { CheckIcon, CopyIcon } from './icons';

/** Copies `text` to the clipboard; says so for a moment. */
export function CopyButton({
  text,
  label,
  className,
  focusable = true,
}: {
  text: string;
  /** What is copied, for the accessible name: "job id" → "Copy job id". */
  label: string;
  className?: string;
  /** False in table cells: one more Tab stop per row is too many; the job page has one. */
  focusable?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      tabIndex={focusable ? undefined : -1}
      onClick={async (e) => {
        e.preventDefault();
        e.stopPropagation();
        await navigator.clipboard?.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
      aria-label={copied ? `${label} copied` : `Copy ${label}`}
      title={copied ? 'Copied' : `Copy ${label}`}
      className={cn(
        'inline-flex shrink-0 rounded p-1 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100',
        className,
      )}
    >
      {copied ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
    </button>
  );
}

/**
 * One line of text that never widens its container: cut with an ellipsis, the whole
 * text on hover (title) and, with `copyLabel`, a copy button beside it.
 */
export function TruncatedText({
  text,
  className,
  copyLabel,
  copyFocusable = true,
  children,
}: {
  text: string;
  className?: string;
  copyLabel?: string;
  copyFocusable?: boolean;
  /** Rendered instead of the text (a link around it, say); it should truncate itself. */
  children?: React.ReactNode;
}) {
  const shown = oneLine(text);
  return (
    <span className="group/truncated flex min-w-0 items-center gap-0.5">
      {children ?? (
        <span className={cn('min-w-0 truncate', className)} title={text}>
          {shown}
        </span>
      )}
      {copyLabel ? (
        <CopyButton
          text={text}
          label={copyLabel}
          focusable={copyFocusable}
          className={
            copyFocusable
              ? undefined
              : 'opacity-0 group-hover/truncated:opacity-100 group-focus-within/truncated:opacity-100'
          }
        />
      ) : null}
    </span>
  );
}
