'use client';

import { DropdownMenu as M } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from './cn';
import { CheckIcon } from './icons';

/** Radix DropdownMenu with our looks: arrow keys move, type-ahead finds, Escape closes. */
export const DropdownMenu = M.Root;
export const DropdownMenuTrigger = M.Trigger;
export const DropdownMenuGroup = M.Group;

export function DropdownMenuContent({
  className,
  align = 'end',
  sideOffset = 4,
  ...props
}: ComponentProps<typeof M.Content>) {
  return (
    <M.Portal>
      <M.Content
        align={align}
        sideOffset={sideOffset}
        className={cn(
          'z-50 max-w-[min(24rem,calc(100vw-2rem))] min-w-44 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg wrap-anywhere dark:border-zinc-800 dark:bg-zinc-900',
          className,
        )}
        {...props}
      />
    </M.Portal>
  );
}

const itemClass =
  'relative flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 outline-none select-none ' +
  'data-[disabled]:pointer-events-none data-[disabled]:opacity-50 ' +
  'data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800';

export function DropdownMenuItem({
  className,
  tone,
  ...props
}: ComponentProps<typeof M.Item> & { tone?: 'danger' }) {
  return (
    <M.Item
      className={cn(itemClass, tone === 'danger' && 'text-red-700 dark:text-red-400', className)}
      {...props}
    />
  );
}

export function DropdownMenuCheckboxItem({
  className,
  children,
  ...props
}: ComponentProps<typeof M.CheckboxItem>) {
  return (
    <M.CheckboxItem className={cn(itemClass, 'pl-8', className)} {...props}>
      <span className="absolute left-2 flex size-4 items-center justify-center rounded border border-zinc-300 dark:border-zinc-600">
        <M.ItemIndicator>
          <CheckIcon className="size-3" />
        </M.ItemIndicator>
      </span>
      {children}
    </M.CheckboxItem>
  );
}

export function DropdownMenuLabel({ className, ...props }: ComponentProps<typeof M.Label>) {
  return (
    <M.Label
      className={cn('px-2 py-1.5 text-xs font-medium text-zinc-500 dark:text-zinc-400', className)}
      {...props}
    />
  );
}

export function DropdownMenuSeparator({ className, ...props }: ComponentProps<typeof M.Separator>) {
  return (
    <M.Separator
      className={cn('-mx-1 my-1 h-px bg-zinc-200 dark:bg-zinc-800', className)}
      {...props}
    />
  );
}
