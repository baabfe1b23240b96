import Link from 'next/link';
import { type Loaded, SIGNAL_KINDS, type SignalKind, type SignalsChartData } from '@/app/contracts';
import { ServiceDown } from '../service-down';
import { formatCount, MONTH_NAMES } from '../ui/format';
import { signalsHref } from './hrefs';

const FILL: Record<SignalKind, string> = {
  cancel: 'fill-red-500',
  pause: 'fill-orange-400',
  resume: 'fill-emerald-500',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const W = 1000;
const H = 140;

function label(at: number, bucket: SignalsChartData['bucket']): string {
  const d = new Date(at);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (bucket === 'hour') return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
  if (bucket === 'month') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return day;
}

/** The drill-down link of a bar: its day (or month); none for hours. */
function barHref(query: string, at: number, bucket: SignalsChartData['bucket']): string | null {
  const d = new Date(at);
  const base = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, from: null, to: null };
  if (bucket === 'day') return signalsHref(query, { ...base, day: d.getUTCDate() });
  if (bucket === 'month') return signalsHref(query, { ...base, day: null });
  return null;
}

/**
 * Signals per day (hour, month) and kind over the selected range as stacked bars
 * (server-rendered SVG: no chart library, nothing to hydrate), and the date
 * drill-down: year → month → day, as Django's date_hierarchy. UTC throughout.
 */
export async function SignalsChart({
  promise,
  query,
  drill,
}: {
  promise: Promise<Loaded<SignalsChartData>>;
  query: string;
  drill: { year?: number; month?: number; day?: number };
}) {
  const loaded = await promise;
  if (!loaded.ok) return <ServiceDown service={loaded.service} message={loaded.message} />;
  const { points, bucket, next } = loaded.data;
  const max = Math.max(1, ...points.map((p) => p.total));
  const total = points.reduce((n, p) => n + p.total, 0);
  const barW = W / Math.max(1, points.length);
  const gap = barW > 4 ? Math.min(2, barW * 0.2) : 0;
  return (
    <section
      aria-label="Signals over time"
      className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs dark:border-zinc-800 dark:bg-zinc-900"
    >
      <DateDrill query={query} drill={drill} next={next} />
      <div className="flex items-baseline justify-between gap-4 text-xs text-zinc-600 dark:text-zinc-400">
        <span>
          {formatCount(total)} signals per {bucket}, {label(loaded.data.from, 'day')} –{' '}
          {label(loaded.data.until - 1, 'day')} (UTC)
        </span>
        <span className="flex gap-3">
          {SIGNAL_KINDS.map((k) => (
            <span key={k} className="inline-flex items-center gap-1">
              <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden="true">
                <rect width="10" height="10" rx="2" className={FILL[k]} />
              </svg>
              {k}
            </span>
          ))}
        </span>
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="h-36 w-full"
        role="img"
        aria-label={`Bar chart: ${formatCount(total)} signals, at most ${formatCount(max)} per ${bucket}`}
      >
        <line
          x1="0"
          y1={H - 0.5}
          x2={W}
          y2={H - 0.5}
          className="stroke-zinc-300 dark:stroke-zinc-700"
        />
        {points.map((p, i) => {
          let y = H;
          const title = `${label(p.at, bucket)}: ${p.total === 0 ? 'no signals' : SIGNAL_KINDS.map((k) => `${p.counts[k]} ${k}`).join(', ')}`;
          const bars = SIGNAL_KINDS.map((k) => {
            const h = (p.counts[k] / max) * (H - 4);
            y -= h;
            return h > 0 ? (
              <rect
                key={k}
                x={i * barW + gap / 2}
                y={y}
                width={barW - gap}
                height={h}
                className={FILL[k]}
              />
            ) : null;
          });
          const href = p.total > 0 ? barHref(query, p.at, bucket) : null;
          const hit = (
            <rect
              x={i * barW}
              y="0"
              width={barW}
              height={H}
              className="fill-transparent hover:fill-zinc-500/10"
            />
          );
          return (
            <g key={p.at}>
              <title>{title}</title>
              {bars}
              {href ? <a href={href}>{hit}</a> : hit}
            </g>
          );
        })}
      </svg>
      <div className="flex justify-between text-[11px] text-zinc-500 tabular-nums">
        <span>{points[0] ? label(points[0].at, bucket) : ''}</span>
        <span>
          max {formatCount(max)} per {bucket}
        </span>
        <span>{points.at(-1) ? label(points.at(-1)!.at, bucket) : ''}</span>
      </div>
    </section>
  );
}

/** "All dates › 2025 › March › 14" and the next level's links. */
function DateDrill({
  query,
  drill,
  next,
}: {
  query: string;
  drill: { year?: number; month?: number; day?: number };
  next: SignalsChartData['next'];
}) {
  const crumbs: { label: string; href: string }[] = [
    { label: 'All dates', href: signalsHref(query, { year: null, month: null, day: null }) },
  ];
  if (drill.year !== undefined)
    crumbs.push({
      label: String(drill.year),
      href: signalsHref(query, { year: drill.year, month: null, day: null }),
    });
  if (drill.month !== undefined)
    crumbs.push({
      label: MONTH_NAMES[drill.month - 1] as string,
      href: signalsHref(query, { year: drill.year, month: drill.month, day: null }),
    });
  if (drill.day !== undefined) crumbs.push({ label: String(drill.day), href: '' });
  return (
    <nav aria-label="Dates" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <ol className="flex items-center gap-1 font-medium">
        {crumbs.map((c, i) => (
          <li key={c.label} className="flex items-center gap-1">
            {i > 0 ? <span className="text-zinc-400">›</span> : null}
            {i === crumbs.length - 1 ? (
              <span aria-current="true">{c.label}</span>
            ) : (
              <Link href={c.href} className="text-blue-700 hover:underline dark:text-blue-400">
                {c.label}
              </Link>
            )}
          </li>
        ))}
      </ol>
      {next.length > 0 ? (
        <ul className="flex flex-wrap gap-1" data-testid="date-drill">
          {next.map((n) => (
            <li key={n.label}>
              <Link
                href={signalsHref(query, {
                  year: n.year,
                  month: n.month ?? null,
                  day: n.day ?? null,
                })}
                className="rounded px-1.5 py-0.5 text-blue-700 hover:bg-blue-50 dark:text-blue-400 dark:hover:bg-blue-950"
                title={n.count !== undefined ? `${formatCount(n.count)} signals` : undefined}
              >
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </nav>
  );
}
