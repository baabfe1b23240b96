import Link from 'next/link';
import type { QueuesPageData } from '@/app/contracts';
import { Button } from '../ui/button';
import { formatCount } from '../ui/format';
import { Input } from '../ui/input';
import { printable } from '../ui/printable';

const href = (search: string, page: number) => {
  const qs = new URLSearchParams();
  if (search) qs.set('q', search);
  if (page > 1) qs.set('page', String(page));
  return qs.size > 0 ? `/queues?${qs}` : '/queues';
};

/** The name search of /queues: a plain GET form, so it works before the page hydrates. */
export function QueuesSearch({ data }: { data: QueuesPageData }) {
  const first = data.total === 0 ? 0 : (data.page - 1) * data.pageSize + 1;
  const last = Math.min(data.total, data.page * data.pageSize);
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <search>
        <form action="/queues" className="flex items-center gap-2">
          <label htmlFor="queues-search" className="sr-only">
            Search queues by name
          </label>
          <Input
            id="queues-search"
            name="q"
            type="search"
            defaultValue={data.search}
            placeholder="Search queues by name"
            className="w-64"
          />
          <Button type="submit" variant="secondary" size="sm">
            Search
          </Button>
          {data.search ? (
            <Link
              href="/queues"
              className="text-sm text-blue-700 hover:underline dark:text-blue-400"
            >
              Clear
            </Link>
          ) : null}
        </form>
      </search>
      <p className="text-sm text-zinc-600 tabular-nums dark:text-zinc-400" aria-live="polite">
        {data.total === 0
          ? `No queue of ${formatCount(data.discovered)} matches`
          : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(data.total)} ${
              data.search
                ? `queues matching "${printable(data.search)}" (${formatCount(data.discovered)} in all)`
                : 'queues'
            }`}
      </p>
    </div>
  );
}

/** Previous / next page links (shown when the queues do not fit on one page). */
export function QueuesPager({ data }: { data: QueuesPageData }) {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  if (pages <= 1 && data.page === 1) return null;
  const link =
    'rounded-md px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800';
  return (
    <nav aria-label="Pages of queues" className="flex items-center justify-center gap-3">
      {data.page > 1 ? (
        <Link className={link} href={href(data.search, Math.min(data.page - 1, pages))}>
          Previous page
        </Link>
      ) : null}
      <span className="text-sm text-zinc-600 tabular-nums dark:text-zinc-400">
        Page {formatCount(data.page)} of {formatCount(pages)}
      </span>
      {data.page < pages ? (
        <Link className={link} href={href(data.search, data.page + 1)}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
