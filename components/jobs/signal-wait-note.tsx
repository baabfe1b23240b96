import type { SignalWait } from '@/app/contracts';
import { AlertIcon } from '../ui/icons';
import { describeWait, waitShort } from './follow-messages';

/** "no checkpoint for 12 s", with the whole reason on hover and for screen readers. */
export function SignalWaitNote({ wait, queue }: { wait: SignalWait; queue: string }) {
  return (
    <span
      className="inline-flex items-center gap-1 text-xs text-amber-700 dark:text-amber-400"
      title={describeWait(wait, queue)}
      data-signal-wait={wait.why}
    >
      <AlertIcon className="size-3 shrink-0" aria-hidden="true" />
      {waitShort(wait)}
      <span className="sr-only">: {describeWait(wait, queue)}</span>
    </span>
  );
}
