/**
 * The shared words, re-exported for components: signal kinds and statuses, roles
 * and job state names. Their owners are db/vocabulary.ts and worker/job-state.ts;
 * both are plain constants, safe in the browser bundle.
 */
export {
  isOpenStatus,
  jobKey,
  OPEN_STATUSES,
  REASON_MAX,
  ROLES,
  type Role,
  roleAtLeast,
  SIGNAL_KINDS,
  SIGNAL_STATUSES,
  type SignalKind,
  type SignalStatus,
} from '@/db/vocabulary';
export {
  ACTIONABLE_STATES,
  FINISHED_STATES,
  JOB_STATES,
  type JobStateName,
  QUEUED_STATES,
} from '@/worker/job-state';
