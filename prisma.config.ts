// Read by the Prisma CLI (generate, and `migrate status` where the schema engine is installed).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.SUNDIAL_DATABASE__URL ?? process.env.DATABASE_URL ?? '' },
});
