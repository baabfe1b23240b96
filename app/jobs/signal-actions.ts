import type { SignalActions } from '@/app/contracts';
import { countNamedJobsAction } from '../actions/count-named-jobs';
import { requestBulkSignalsAction } from '../actions/request-bulk-signals';
import { requestSignalAction } from '../actions/request-signal';

/** The server actions the job views use, handed to them as props. */
export const signalActions: SignalActions = {
  requestSignal: requestSignalAction,
  requestBulkSignals: requestBulkSignalsAction,
  countNamedJobs: countNamedJobsAction,
};
