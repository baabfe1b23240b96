'use client';

import { useEffect, useRef, useState } from 'react';
import { cn } from '../ui/cn';
import { SearchIcon } from '../ui/icons';
import { Input } from '../ui/input';

export interface DataTableSearchProps {
  /** The value in the URL. */
  value: string;
  /** Called after typing pauses (or on Enter) with the new value. */
  onChange: (value: string) => void;
  label: string;
  placeholder?: string;
  className?: string;
  delayMs?: number;
}

/** A text filter that writes to the URL when typing pauses, not on every key. */
export function DataTableSearch({
  value,
  onChange,
  label,
  placeholder,
  className,
  delayMs = 350,
}: DataTableSearchProps) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  // The URL changed from elsewhere (reset, back button): show it.
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (next: string) => {
    clearTimeout(timer.current);
    if (next.trim() !== value) onChange(next.trim());
  };

  return (
    <div className={cn('relative', className)}>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-zinc-400" />
      <Input
        type="search"
        aria-label={label}
        placeholder={placeholder ?? label}
        value={text}
        className="pl-8"
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(next), delayMs);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(text);
        }}
      />
    </div>
  );
}
