import { defineConfig } from 'vitest/config';

// unit: no database, no network. integration: a real database (PGlite in memory by default, the PostgreSQL
// at TEST_DATABASE_URL when set; each file gets its own) and real HTTP servers and processes.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['apps/*/test/unit/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          // Unit tests first; projects with different worker counts need their own group.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['apps/*/test/integration/**/*.test.ts'],
          // The server's entries compiled once for every process the tests spawn; whatever a test spawned is killed
          // when it ends, so a failure or a timeout does not poison the next test.
          globalSetup: ['apps/server/test/support/global-setup.ts'],
          setupFiles: ['apps/server/test/support/setup-children.ts'],
          // A safety net for a hang, not a speed check: at a load average of 35 on 2 cores, starting a server and
          // migrating a database in a file's beforeAll took over 60 s. Readiness is awaited, never slept on.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // PGlite runs one query at a time and real-process tests need the cores: keep files few at once.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
