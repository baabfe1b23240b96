'use client';

import Link from 'next/link';
import type { JobRow } from '@/app/contracts';
import { Button } from '../ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui/dropdown-menu';
import { oneLine } from '../ui/format';
import { MoreIcon, PauseIcon, PlayIcon, StopIcon } from '../ui/icons';
import { jobHref } from './job-hrefs';
import { useSignalRequests } from './signal-requests';

export { jobHref } from './job-hrefs';

/**
 * The signals a job's state allows, as buttons (nothing else is offered), plus a
 * menu with the job page and "cancel all jobs of this name".
 */
export function JobActions({
  job,
  size = 'xs',
  withMenu = true,
  compact = false,
}: {
  job: JobRow;
  size?: 'xs' | 'sm';
  withMenu?: boolean;
  /**
   * Icons only below 2xl screens (table rows: at 1,440 px the all-queues table must
   * fit without scrolling sideways); the accessible names and tooltips stay.
   */
  compact?: boolean;
}) {
  const { request, cancelByName, pending, canSignal } = useSignalRequests();
  const can = new Set(canSignal ? job.actions : []);
  // Names and queues may be 2,048 bytes long; the menu says their start (the dialog checks all).
  const named = `${oneLine(job.name, 80)} in ${oneLine(job.queue, 80)}`;
  return (
    <div className="flex items-center justify-end gap-1">
      {can.has('pause') ? (
        <Button
          size={size}
          variant="ghost"
          disabled={pending}
          onClick={() => request('pause', job)}
          aria-label={`Pause job ${job.id}`}
          title={compact ? 'Pause' : undefined}
        >
          <PauseIcon className="size-3.5" />
          <span className={compact ? 'hidden 2xl:inline' : undefined}>Pause</span>
        </Button>
      ) : null}
      {can.has('resume') ? (
        <Button
          size={size}
          variant="ghost"
          disabled={pending}
          onClick={() => request('resume', job)}
          aria-label={`Resume job ${job.id}`}
          title={compact ? 'Resume' : undefined}
        >
          <PlayIcon className="size-3.5" />
          <span className={compact ? 'hidden 2xl:inline' : undefined}>Resume</span>
        </Button>
      ) : null}
      {can.has('cancel') ? (
        <Button
          size={size}
          variant="danger-ghost"
          disabled={pending}
          onClick={() => request('cancel', job)}
          aria-label={`Cancel job ${job.id}`}
          title={compact ? 'Cancel' : undefined}
        >
          <StopIcon className="size-3.5" />
          <span className={compact ? 'hidden 2xl:inline' : undefined}>Cancel</span>
        </Button>
      ) : null}
      {withMenu ? (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button
              size="icon"
              variant="ghost"
              className="size-7"
              aria-label={`More for job ${job.id}`}
            >
              <MoreIcon />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent>
            <DropdownMenuItem asChild>
              <Link href={jobHref(job.queue, job.id)}>Open job page</Link>
            </DropdownMenuItem>
            <DropdownMenuSeparator />
            <DropdownMenuItem
              tone="danger"
              onSelect={() => cancelByName(job.queue, job.name, job.workers)}
            >
              Cancel all jobs named {named}…
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      ) : null}
    </div>
  );
}
