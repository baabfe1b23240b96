'use client';

import { type ReactNode, useId, useState } from 'react';
import { Alert } from './alert';
import { Button } from './button';
import { cn } from './cn';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from './dialog';
import { formatCount } from './format';
import { Textarea } from './input';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  /** What will happen, in words. */
  description: ReactNode;
  confirmLabel: string;
  /** The button that closes without doing anything. */
  dismissLabel?: string;
  tone?: 'danger' | 'default';
  /** Ask for an optional reason of at most `reasonMax` characters. */
  reasonMax?: number;
  /** Shown above the buttons, e.g. "no worker serves this queue". */
  warning?: ReactNode;
  /** Extra content between the description and the reason (counts, lists). */
  children?: ReactNode;
  pending?: boolean;
  /** Disables the confirm button (e.g. while a count loads). */
  confirmDisabled?: boolean;
  onConfirm: (reason: string) => void;
}

/** Counts characters as the server does (code points), so "500" means the same on both sides. */
export const countChars = (s: string) => [...s].length;

export function ConfirmDialog(props: ConfirmDialogProps) {
  // The body remounts per opening, so a reason typed for one job never leaks into the next.
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      {props.open ? <ConfirmBody {...props} /> : null}
    </Dialog>
  );
}

function ConfirmBody({
  title,
  description,
  confirmLabel,
  dismissLabel = 'Go back',
  tone = 'default',
  reasonMax,
  warning,
  children,
  pending = false,
  confirmDisabled = false,
  onConfirm,
  onOpenChange,
}: ConfirmDialogProps) {
  const [reason, setReason] = useState('');
  const id = useId();
  const used = countChars(reason);
  const tooLong = reasonMax !== undefined && used > reasonMax;
  return (
    <DialogContent
      data-testid="confirm-dialog"
      onEscapeKeyDown={(e) => {
        if (pending) e.preventDefault();
      }}
    >
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!tooLong && !pending && !confirmDisabled) onConfirm(reason);
        }}
      >
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {children}
        {reasonMax !== undefined ? (
          <div className="grid gap-1.5">
            <div className="flex items-baseline justify-between">
              <label htmlFor={`${id}-reason`} className="text-sm font-medium">
                Reason <span className="font-normal text-zinc-500">(optional)</span>
              </label>
              <span
                id={`${id}-count`}
                aria-live="polite"
                className={cn(
                  'text-xs tabular-nums',
                  tooLong ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500',
                )}
              >
                {formatCount(used)} / {formatCount(reasonMax)}
              </span>
            </div>
            <Textarea
              id={`${id}-reason`}
              name="reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="Shown to the worker and kept in the audit log"
              aria-describedby={`${id}-count`}
              aria-invalid={tooLong || undefined}
              rows={3}
            />
            {tooLong ? (
              <p className="text-xs text-red-600 dark:text-red-400">
                {formatCount(used - reasonMax)} characters too many.
              </p>
            ) : null}
          </div>
        ) : null}
        {warning ? <Alert tone="warning">{warning}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)} disabled={pending}>
            {dismissLabel}
          </Button>
          <Button
            type="submit"
            variant={tone === 'danger' ? 'danger' : 'primary'}
            disabled={tooLong || pending || confirmDisabled}
            aria-busy={pending || undefined}
          >
            {pending ? 'Sending…' : confirmLabel}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
