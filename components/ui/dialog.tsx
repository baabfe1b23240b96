'use client';

import { Dialog as D } from 'radix-ui';
import { type ComponentProps, type ReactNode, useRef } from 'react';
import { cn } from './cn';
import { ancestorsOf, openerOf, returnFocus } from './focus-return';
import { XIcon } from './icons';

/**
 * Radix Dialog with our looks: focus is trapped inside, Escape and the close button
 * close it, and focus returns to whatever opened it (see focus-return.ts).
 */
export const Dialog = D.Root;
export const DialogTrigger = D.Trigger;
export const DialogClose = D.Close;

export function DialogContent({
  className,
  children,
  onOpenAutoFocus,
  onCloseAutoFocus,
  ...props
}: ComponentProps<typeof D.Content> & { children: ReactNode }) {
  const opener = useRef<{ el: HTMLElement | null; ancestors: HTMLElement[] }>({
    el: null,
    ancestors: [],
  });
  return (
    <D.Portal>
      <D.Overlay className="fixed inset-0 z-40 bg-zinc-950/40 backdrop-blur-[1px] dark:bg-black/60" />
      <D.Content
        className={cn(
          'fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100vh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto',
          'rounded-xl border border-zinc-200 bg-white p-6 shadow-xl wrap-anywhere dark:border-zinc-800 dark:bg-zinc-900',
          'focus:outline-none',
          className,
        )}
        onOpenAutoFocus={(e) => {
          // Focus has not moved into the dialog yet: what holds it opened the dialog.
          const el = openerOf(document.activeElement);
          opener.current = { el, ancestors: ancestorsOf(el) };
          onOpenAutoFocus?.(e);
        }}
        onCloseAutoFocus={(e) => {
          onCloseAutoFocus?.(e);
          if (e.defaultPrevented) return;
          e.preventDefault();
          returnFocus(opener.current.el, opener.current.ancestors);
        }}
        {...props}
      >
        {children}
        <D.Close
          className="absolute top-4 right-4 rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          aria-label="Close"
        >
          <XIcon />
        </D.Close>
      </D.Content>
    </D.Portal>
  );
}

export function DialogHeader({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('space-y-1.5 pr-8', className)} {...props} />;
}

export function DialogTitle({ className, ...props }: ComponentProps<typeof D.Title>) {
  return (
    <D.Title
      className={cn('text-base font-semibold text-zinc-900 dark:text-zinc-50', className)}
      {...props}
    />
  );
}

export function DialogDescription({ className, ...props }: ComponentProps<typeof D.Description>) {
  return (
    <D.Description
      className={cn('text-sm leading-relaxed text-zinc-600 dark:text-zinc-400', className)}
      {...props}
    />
  );
}

export function DialogFooter({ className, ...props }: ComponentProps<'div'>) {
  return (
    <div
      className={cn('flex flex-col-reverse gap-2 sm:flex-row sm:justify-end', className)}
      {...props}
    />
  );
}
