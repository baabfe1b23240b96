import type { JobSignal } from '@/db/schema';
import type { SignalKind, SignalStatus } from '@/db/vocabulary';
import type { SignalWait } from './follow';

/** A signal as the browser gets it: plain JSON, times as ISO strings. */
export interface SignalView {
  id: number;
  signal: SignalKind;
  status: SignalStatus;
  reason: string | null;
  requestedBy: string;
  workerId: string | null;
  outcome: Record<string, unknown> | null;
  createdAt: string;
  deliveredAt: string | null;
  completedAt: string | null;
  /** For an open signal past the time a worker takes: why it waits. Absent when not worked out. */
  wait?: SignalWait | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSignalView(s: JobSignal): SignalView {
  return {
    id: s.id,
    signal: s.signal,
    status: s.status,
    reason: s.reason,
    requestedBy: s.requestedBy,
    workerId: s.workerId,
    outcome: s.outcome ?? null,
    createdAt: s.createdAt.toISOString(),
    deliveredAt: iso(s.deliveredAt),
    completedAt: iso(s.completedAt),
  };
}
export type { JobSignal } from '@/db/schema';
