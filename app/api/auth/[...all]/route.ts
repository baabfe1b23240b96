import { toNextJsHandler } from 'better-auth/next-js';
import { getAuth } from '@/db/auth';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handler = (req: Request) => getAuth().handler(req);
export const { GET, POST } = toNextJsHandler(handler);
