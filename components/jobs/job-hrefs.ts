import type { JobValueField } from '@/app/contracts';

/**
 * The dashboard's links to a job, its values and its signals, in a plain module:
 * server components import it too (a 'use client' module would hand them a
 * client reference instead of a function).
 */
const segment = (queue: string, id: string) =>
  `${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;

/** A job's page. */
export const jobHref = (queue: string, id: string) => `/jobs/${segment(queue, id)}`;

/** Where one value of a job is served whole (GET /api/jobs/:queue/:id/values/:field). */
export function valueHref(
  queue: string,
  id: string,
  field: JobValueField,
  signal?: number,
): string {
  const base = `/api/jobs/${segment(queue, id)}/values/${field}`;
  return signal === undefined ? base : `${base}?signal=${signal}`;
}

/** A job's scheduler, flow parent and children (GET /api/jobs/:queue/:id/relations). */
export const relationsHref = (queue: string, id: string) =>
  `/api/jobs/${segment(queue, id)}/relations`;

/** The audit list filtered to one job's signals. */
export const auditHref = (queue: string, id: string) =>
  `/signals?queue=${encodeURIComponent(queue)}&jobId=${encodeURIComponent(id)}`;
