import Link from 'next/link';
import type { FacetCounts, FacetValue, Loaded } from '@/app/contracts';
import { ServiceDown } from '../service-down';
import { cn } from '../ui/cn';
import { formatCount } from '../ui/format';
import { signalsHref } from './hrefs';

const TITLES = {
  status: 'By status',
  signal: 'By signal',
  queue: 'By queue',
  requestedBy: 'By requester',
} as const;

/** Requesters and queues shown before "and N more" (the URL still takes any value). */
const SHOWN = 12;

/**
 * The side bar, as Django's list_filter with facets: each value with how many
 * signals it would show given the other filters. Counts over 20,000 are
 * PostgreSQL's estimates and marked ≈.
 */
export async function SignalFacets({
  promise,
  query,
}: {
  promise: Promise<Loaded<FacetCounts>>;
  query: string;
}) {
  const loaded = await promise;
  if (!loaded.ok) return <ServiceDown service={loaded.service} message={loaded.message} />;
  const current = new URLSearchParams(query);
  return (
    <nav aria-label="Filters" className="space-y-5 text-sm">
      {(Object.keys(TITLES) as (keyof typeof TITLES)[]).map((facet) => {
        const selected = current.get(facet);
        const values = pick(loaded.data[facet], selected);
        const hidden = loaded.data[facet].length - values.length;
        return (
          <section key={facet} aria-labelledby={`facet-${facet}`}>
            <h2
              id={`facet-${facet}`}
              className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase"
            >
              {TITLES[facet]}
            </h2>
            <ul className="space-y-0.5" data-facet={facet}>
              <FacetLink
                href={signalsHref(query, { [facet]: null })}
                active={!selected}
                label="All"
              />
              {values.map((v) => (
                <FacetLink
                  key={v.value}
                  href={signalsHref(query, { [facet]: v.value })}
                  active={selected === v.value}
                  label={v.value}
                  count={v}
                />
              ))}
            </ul>
            {hidden > 0 ? (
              <p className="mt-1 px-2 text-xs text-zinc-500">
                and {hidden} more (search to narrow)
              </p>
            ) : null}
          </section>
        );
      })}
    </nav>
  );
}

function pick(values: FacetValue[], selected: string | null): FacetValue[] {
  const top = values.slice(0, SHOWN);
  const chosen = values.find((v) => v.value === selected);
  return chosen && !top.includes(chosen) ? [...top, chosen] : top;
}

function FacetLink({
  href,
  active,
  label,
  count,
}: {
  href: string;
  active: boolean;
  label: string;
  count?: FacetValue;
}) {
  return (
    <li>
      <Link
        href={href}
        aria-current={active ? 'true' : undefined}
        className={cn(
          'flex items-center justify-between gap-2 rounded px-2 py-1',
          active
            ? 'bg-zinc-200/70 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100'
            : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/60',
        )}
      >
        <span className="truncate">{label}</span>
        {count ? (
          <span
            className="shrink-0 text-xs text-zinc-500 tabular-nums"
            title={count.exact ? undefined : "PostgreSQL's estimate"}
          >
            {count.exact ? '' : '≈ '}
            {formatCount(count.count)}
          </span>
        ) : null}
      </Link>
    </li>
  );
}
