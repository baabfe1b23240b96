import { createServer, type Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createApiToken } from '../../db/tokens';
import type { BenchEnv } from './bench-env';
import { redisTimer, startApiServer, startRedis, timeGet } from './bench-servers';
import { type BenchResult, result } from './report';
import { describeLatency, round, summarize } from './stats';

const JOBS = 100_000;
const PAGE_SIZE = 50;
const DEEP = 1_000;
const REQUESTS = 100;
const WARMUP = 10;
/** Requests per Redis-time block (sequential, nothing else on that Redis). */
const TIMED = 50;

/** bull-board 9 served read-only on its own express router, as its docs set it up. */
async function startBullBoard(queue: Queue): Promise<{ url: string; close(): Promise<void> }> {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: [new BullMQAdapter(queue, { readOnlyMode: true })],
    serverAdapter,
  });
  const server: Server = createServer(serverAdapter.getRouter());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * `GET /api/jobs` for one queue of 100,000 waiting jobs, page 1 and page 1,000,
 * against bull-board's own JSON API (the one its UI calls) for the same queue and
 * page, served in the same run from the same private Redis. Requests alternate
 * between the two; Redis time per request comes from blocks of sequential
 * requests with nothing else on that Redis.
 */
export async function benchJobsPage100k(env: BenchEnv): Promise<BenchResult[]> {
  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue('big', { connection: client });
  let ours: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let board: Awaited<ReturnType<typeof startBullBoard>> | undefined;
  try {
    for (let i = 0; i < JOBS; i += 1000) {
      await queue.addBulk(
        Array.from({ length: 1000 }, (_, j) => ({
          name: (i + j) % 10 === 0 ? 'send-invoice' : 'render-report',
          data: { n: i + j, customer: `c-${(i + j) % 977}` },
        })),
      );
    }
    const { token } = await createApiToken(env.handle.db, {
      name: 'bench-jobs',
      role: 'viewer',
      createdBy: 'bench',
    });
    ours = await startApiServer({
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: 'bull',
    });
    board = await startBullBoard(queue);
    const auth = { authorization: `Bearer ${token}` };
    const oursUrl = (page: number) =>
      `${ours?.url}/api/jobs?queue=big&state=waiting&pageSize=${PAGE_SIZE}&page=${page}`;
    const boardUrl = (page: number) =>
      `${board?.url}/api/queues?activeQueue=big&status=waiting&page=${page}&jobsPerPage=${PAGE_SIZE}`;
    const sides = {
      ours: (page: number) => timeGet(oursUrl(page), auth),
      board: (page: number) => timeGet(boardUrl(page)),
    };
    const latency = {
      ours: { 1: [] as number[], [DEEP]: [] as number[] },
      board: { 1: [] as number[], [DEEP]: [] as number[] },
    };
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      for (const page of [1, DEEP] as const) {
        const order = i % 2 === 0 ? (['ours', 'board'] as const) : (['board', 'ours'] as const);
        for (const side of order) {
          const ms = await sides[side](page);
          if (i >= WARMUP) latency[side][page].push(ms);
        }
      }
    }
    const timer = await redisTimer(client);
    const usec = { ours: { 1: 0, [DEEP]: 0 }, board: { 1: 0, [DEEP]: 0 } };
    const commands = { ours: { 1: 0, [DEEP]: 0 }, board: { 1: 0, [DEEP]: 0 } };
    for (const side of ['ours', 'board'] as const) {
      for (const page of [1, DEEP] as const) {
        await timer.start();
        for (let i = 0; i < TIMED; i++) await sides[side](page);
        const t = await timer.stop();
        usec[side][page] = t.usec / TIMED;
        commands[side][page] = t.commands / TIMED;
      }
    }
    const s = {
      ours1: summarize(latency.ours[1]),
      oursDeep: summarize(latency.ours[DEEP]),
      board1: summarize(latency.board[1]),
      boardDeep: summarize(latency.board[DEEP]),
    };
    const redisLine = (side: 'ours' | 'board') =>
      `page 1 ${round(usec[side][1])} µs in ${round(commands[side][1])} commands, page ${DEEP} ${round(usec[side][DEEP])} µs in ${round(commands[side][DEEP])} commands`;
    return [
      result({
        name: 'jobs-page-100k',
        ours: s.oursDeep.p95,
        baseline: s.boardDeep.p95,
        unit: 'ms p95',
        runs: s.oursDeep.count,
        notes:
          `GET /api/jobs?queue=big&state=waiting&pageSize=${PAGE_SIZE}, one queue of ${JOBS.toLocaleString('en')} waiting jobs, page ${DEEP} (deep): ` +
          `ours ${describeLatency(s.oursDeep)} vs bull-board ${describeLatency(s.boardDeep)}; ` +
          `page 1: ours ${describeLatency(s.ours1)} vs bull-board ${describeLatency(s.board1)}; ` +
          `Redis time per request (slow log at 0 µs on a private Redis, top-level commands, ${TIMED} sequential requests each): ` +
          `ours ${redisLine('ours')}; bull-board ${redisLine('board')}; ` +
          `Redis time ratio bull-board/ours: page 1 ${round(usec.board[1] / usec.ours[1])}x, page ${DEEP} ${round(usec.board[DEEP] / usec.ours[DEEP])}x; ` +
          `baseline: bull-board 9.10.1 (@bull-board/api + @bull-board/express, BullMQAdapter readOnlyMode) GET /api/queues?activeQueue=big&status=waiting&page=N&jobsPerPage=${PAGE_SIZE}, same queue, same Redis, requests alternating; ` +
          `ours: the route handler over node:http in a child process, with a viewer token (one PostgreSQL lookup per request) and each job's latest signal`,
      }),
    ];
  } finally {
    await ours?.stop();
    await board?.close();
    await queue.close();
    client.disconnect();
    await redis.stop();
  }
}
