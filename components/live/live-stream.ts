'use client';

import { LIVE_EVENTS_PATH, type LiveChange } from '@/app/contracts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveSubscriber {
  onChange(change: LiveChange): void;
  onStatus?(status: LiveStatus): void;
}

/** What a reconnect means: anything may have changed while the stream was down. */
const EVERYTHING: LiveChange = {
  all: true,
  queues: [],
  jobs: [],
  moreJobs: false,
  signalQueues: [],
};

const subscribers = new Set<LiveSubscriber>();
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;
let status: LiveStatus = 'connecting';
let connectedBefore = false;

function setStatus(next: LiveStatus) {
  status = next;
  for (const s of subscribers) s.onStatus?.(next);
}

function broadcast(change: LiveChange) {
  for (const s of subscribers) s.onChange(change);
}

function connect() {
  const es = new EventSource(LIVE_EVENTS_PATH);
  source = es;
  es.addEventListener('ready', () => {
    setStatus('live');
    if (connectedBefore) broadcast(EVERYTHING); // catch up on what happened while away
    connectedBefore = true;
  });
  es.addEventListener('change', (e) => {
    let change = EVERYTHING;
    try {
      change = JSON.parse((e as MessageEvent<string>).data) as LiveChange;
    } catch {
      // only a hint: an unreadable one means "look again"
    }
    broadcast(change);
  });
  es.onerror = () => {
    setStatus('reconnecting');
    // A CLOSED source (the server answered with an error) does not retry by itself.
    if (es.readyState === EventSource.CLOSED) {
      es.close();
      retry = setTimeout(connect, 2000);
    }
  };
}

/**
 * One /api/events stream per browser tab, shared by everything on the page that
 * follows changes (the page's refresh, followed signals and operations): one
 * connection instead of one per component. Opened by the first subscriber, closed
 * when the last one leaves.
 */
export function subscribeLive(subscriber: LiveSubscriber): () => void {
  subscribers.add(subscriber);
  subscriber.onStatus?.(status);
  if (!source) connect();
  return () => {
    subscribers.delete(subscriber);
    if (subscribers.size > 0) return;
    clearTimeout(retry);
    source?.close();
    source = null;
    status = 'connecting';
    connectedBefore = false;
  };
}
