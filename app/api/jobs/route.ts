import { listJobs } from '@/app/bullmq/job-list';
import { ScanBusyError } from '@/app/bullmq/scan-gate';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { parseJobsApiQuery } from '@/app/lib/api-jobs-query';
import { deps } from '@/app/lib/services';
import { actorName } from '@/app/lib/session';
import { latestSignals } from '@/db/job-signals';
import { jobKey } from '@/db/vocabulary';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * `GET /api/jobs`: one page of jobs across queues (or of one), each with its latest
 * signal; `scan` says how many jobs a name or search filter looked through.
 */
export function GET(req: Request): Promise<Response> {
  return respond(req, 'viewer', async (actor) => {
    const parsed = parseJobsApiQuery(new URL(req.url).searchParams);
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const { queue, page, pageSize } = parsed.query;
    const d = deps();
    if (queue && !(await d.queues.exists(queue))) {
      throw new ApiError(404, `Queue ${queue} does not exist.`);
    }
    let list: Awaited<ReturnType<typeof listJobs>>;
    try {
      list = await listJobs(d.queues, { ...parsed.query, caller: actorName(actor) }, d.db);
    } catch (err) {
      if (err instanceof ScanBusyError)
        throw new ApiError(429, err.message, { 'Retry-After': '2' });
      throw err;
    }
    const latest = await latestSignals(
      d.db,
      list.jobs.map((j) => ({ queue: j.queue, jobId: j.id })),
    );
    const jobs = list.jobs.map((j) => ({
      ...j,
      latestSignal: latest.get(jobKey(j.queue, j.id)) ?? null,
    }));
    return Response.json({ jobs, total: list.total, page, pageSize, scan: list.scan });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
