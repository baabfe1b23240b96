import { listJobs } from '@/app/bullmq/job-list';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { parseJobsApiQuery } from '@/app/lib/api-jobs-query';
import { deps } from '@/app/lib/services';
import { latestSignals } from '@/db/job-signals';
import { jobKey } from '@/db/vocabulary';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** `GET /api/jobs`: one page of jobs across queues (or of one), each with its latest signal. */
export function GET(req: Request): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const parsed = parseJobsApiQuery(new URL(req.url).searchParams);
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const { queue, states, name, page, pageSize } = parsed.query;
    const d = deps();
    if (queue && !(await d.queues.exists(queue))) {
      throw new ApiError(404, `Queue ${queue} does not exist.`);
    }
    const list = await listJobs(d.queues, { queue, states, name, page, pageSize }, d.db);
    const latest = await latestSignals(
      d.db,
      list.jobs.map((j) => ({ queue: j.queue, jobId: j.id })),
    );
    const jobs = list.jobs.map((j) => ({
      ...j,
      latestSignal: latest.get(jobKey(j.queue, j.id)) ?? null,
    }));
    return Response.json({ jobs, total: list.total, page, pageSize });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
