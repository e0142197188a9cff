import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI only (generate; migrate deploy where the native engine exists).
// The application and its migration runner read DATABASE_URL through server config.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/gridline.db' },
});
