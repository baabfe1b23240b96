/**
 * `node --import ./test/bench/server-only-hook.mjs`: outside Next.js, `server-only`
 * throws on import; the bench's API server maps it to the empty module Next.js
 * itself uses on the server (as vitest's alias does for the tests).
 */
import { register } from 'node:module';

export async function resolve(specifier, context, next) {
  if (specifier === 'server-only') return { url: 'data:text/javascript,', shortCircuit: true };
  return next(specifier, context);
}

if (!process.env.SERVER_ONLY_HOOKED) {
  process.env.SERVER_ONLY_HOOKED = '1';
  register(import.meta.url);
}
