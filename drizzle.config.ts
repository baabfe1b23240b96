import { defineConfig } from 'drizzle-kit';
import { databaseUrl } from './db/config';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/schema.ts', './db/auth-schema.ts'],
  out: './db/migrations',
  dbCredentials: { url: databaseUrl() },
  strict: true,
  verbose: true,
});
