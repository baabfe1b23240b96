import { Alert } from './ui/alert';

/** A page's data, or the backing service that is down, said in words. */
export type Loaded<T> =
  | { ok: true; data: T }
  | { ok: false; service: 'PostgreSQL' | 'Redis'; message: string };

const HINT = {
  PostgreSQL:
    'Signals and their history live there. Start it (for example `docker compose up -d postgres`) or check DATABASE_URL.',
  Redis:
    'BullMQ keeps the jobs there. Start it (for example `docker compose up -d redis`) or check REDIS_URL.',
} as const;

/** Shown instead of a table when a backing service is down: never an empty table. */
export function ServiceDown({
  service,
  message,
}: {
  service: 'PostgreSQL' | 'Redis';
  message: string;
}) {
  return (
    <Alert tone="danger" title={`${service} is down`}>
      <p data-testid="service-down">{message}</p>
      <p className="mt-1 opacity-80">
        {HINT[service]} This page updates by itself when it is back.
      </p>
    </Alert>
  );
}
