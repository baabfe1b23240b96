/**
 * Shapes shared by the dashboard's server code and its components: rows, views,
 * action results and page data. Components import from here (and from components/),
 * never from the rest of app/, db/ or worker/; a test checks it (test/unit/import-rules).
 */
export * from './actions';
export * from './audit-list';
export * from './follow';
export * from './job-page';
export * from './jobs';
export * from './limits';
export * from './live';
export * from './loaded';
export * from './operations';
export * from './queues';
export * from './signals';
export * from './vocabulary';
