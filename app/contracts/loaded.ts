/** The backing services a page reads. */
export type ServiceName = 'PostgreSQL' | 'Redis';

/** A page's data, or the backing service that is down, said in words. */
export type Loaded<T> =
  | { ok: true; data: T }
  | { ok: false; service: ServiceName; message: string };

/** What every server action answers. Refusals and outages carry a sentence for the user. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string };
