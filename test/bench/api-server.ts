/**
 * The dashboard's REST route handlers served over HTTP by node:http, as a child
 * process of a benchmark (no Next.js build needed: the handlers are plain
 * `(Request) => Response` functions). Started with server-only-hook.mjs, so
 * `server-only` is the empty module it is inside Next.js. Also answers two bench
 * probes: `/bench/signals-page` (statements one /signals page load sends: its
 * three loaders plus the caller's check) and `/bench/memory` (peak RSS since the
 * last reset).
 *
 * Environment: DATABASE_URL, REDIS_URL, BULLMQ_PREFIX, PORT (0: any); prints
 * `listening <port>` when ready.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { GET as jobsRoute } from '../../app/api/jobs/route';
import { GET as exportRoute } from '../../app/api/signals/export/route';
import { GET as signalsRoute } from '../../app/api/signals/route';
import { actorFromHeaders } from '../../app/lib/session';
import { loadSignalFacets, loadSignalsChart, loadSignalsTable } from '../../app/signals/load';
import { parseSignalsPage } from '../../app/signals/page-params';
import { type DbHandle, openDb } from '../../db/client';

let statements = 0;
// The process-wide client the handlers use (db/client getDb), counting what it sends;
// postgres.js's one-off type lookup of each new connection is setup, not a request's.
(globalThis as unknown as { signalDeskDb?: DbHandle }).signalDeskDb = openDb(
  process.env.DATABASE_URL,
  {
    max: 10,
    debug: (_c: unknown, query: string) => {
      if (!query.includes('pg_catalog.pg_type')) statements++;
    },
  },
);

let peakRss = process.memoryUsage().rss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50).unref();

const ROUTES: Record<string, (req: Request) => Promise<Response>> = {
  '/api/jobs': jobsRoute,
  '/api/signals': signalsRoute,
  '/api/signals/export': exportRoute,
  '/bench/signals-page': signalsPage,
  '/bench/memory': memory,
};

async function signalsPage(req: Request): Promise<Response> {
  const parsed = parseSignalsPage(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.ok) return Response.json({ error: parsed.error }, { status: 400 });
  const before = statements;
  await actorFromHeaders(req.headers);
  const loads = await Promise.all([
    loadSignalsTable(parsed.params),
    loadSignalFacets(parsed.params),
    loadSignalsChart(parsed.params),
  ]);
  if (!loads.every((l) => l.ok))
    return Response.json({ error: 'a loader failed' }, { status: 500 });
  return Response.json({ statements: statements - before });
}

async function memory(req: Request): Promise<Response> {
  const peak = Math.max(peakRss, process.memoryUsage().rss);
  if (new URL(req.url).searchParams.has('reset')) peakRss = process.memoryUsage().rss;
  return Response.json({ peakRss: peak, rss: process.memoryUsage().rss });
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const ac = new AbortController();
  req.on('close', () => ac.abort());
  return new Request(`http://127.0.0.1${req.url}`, { headers, signal: ac.signal });
}

const server = createServer(async (req, res) => {
  const handler = ROUTES[new URL(req.url ?? '/', 'http://x').pathname];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  const answer = await handler(toRequest(req));
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  if (!answer.body) {
    res.end();
    return;
  }
  const reader = answer.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Backpressure as a real server applies it: wait for the socket to drain.
    if (!res.write(value)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`listening ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
