'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import type { SetQueuePaused } from '@/app/contracts';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';

/** Admin only: pause or resume a whole queue (BullMQ's queue pause), after a confirmation. */
export function QueuePauseButton({
  queue,
  paused,
  setQueuePaused,
}: {
  queue: string;
  paused: boolean;
  setQueuePaused: SetQueuePaused;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const verb = paused ? 'Resume' : 'Pause';
  return (
    <>
      <Button
        size="xs"
        data-queue-control={queue}
        variant={paused ? 'secondary' : 'danger-ghost'}
        onClick={() => setOpen(true)}
      >
        {verb} queue
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`${verb} queue ${queue}?`}
        description={
          paused
            ? 'Workers start taking jobs from this queue again.'
            : 'Workers stop taking new jobs from this queue; running jobs go on. Nothing is cancelled.'
        }
        confirmLabel={`${verb} queue`}
        tone={paused ? 'default' : 'danger'}
        pending={pending}
        onConfirm={() =>
          start(async () => {
            const r = await setQueuePaused({ queue, paused: !paused });
            if (r.ok) {
              toast.success(`Queue ${queue} ${paused ? 'resumed' : 'paused'}.`);
              setOpen(false);
              router.refresh();
            } else toast.error(r.error);
          })
        }
      />
    </>
  );
}
