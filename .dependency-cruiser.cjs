// The architecture's arrows as import rules, checked by `npm run lint` (docs/architecture.md, "Dependency rules").
// dependency-cruiser rather than an ESLint plugin: it resolves imports the way TypeScript and Node do (tsconfig,
// `.ts` specifiers, workspace packages through node_modules), so `@sundial/server/...` from the web app is caught
// like a relative path; each rule names the arrow it guards, and a violation prints as "from → to".
// Type-only imports count too: a layer that may not call another may not know its shapes either.

const SERVER = '^apps/server/src/';

/** A rule forbidding every import from one folder of the server into others. */
function layer(name, from, to, comment) {
  return { name, severity: 'error', comment, from: { path: `${SERVER}${from}/` }, to: { path: to.map((t) => `${SERVER}${t}/`) } };
}

module.exports = {
  forbidden: [
    layer('graphql-not-to-sql', 'graphql', ['db/sql'],
      'graphql → services → db: resolvers read through Prisma (with ...query) or call services; plain SQL is reached through a service'),
    layer('graphql-not-to-scheduler-or-engine', 'graphql', ['scheduler', 'engine'],
      'graphql → services: resolvers start, cancel and retry runs through services, never the engine or Agenda'),
    layer('services-not-up', 'services', ['graphql', 'scheduler', 'http'],
      'services hold the rules and know no transport: nothing in services imports GraphQL, HTTP or the Agenda adapter'),
    layer('engine-not-up', 'engine', ['graphql', 'scheduler', 'http'],
      'engine → db: the run engine is called by services and the scheduler, and calls neither GraphQL, HTTP nor Agenda'),
    {
      name: 'engine-not-to-services',
      severity: 'error',
      comment: 'engine → db: services call the engine, not the other way; the engine may use only the schedule arithmetic (services/schedule), which is pure functions shared with the previews',
      from: { path: `${SERVER}engine/` },
      to: { path: `${SERVER}services/`, pathNot: `${SERVER}services/schedule(\\.ts|/)` },
    },
    layer('scheduler-not-to-graphql', 'scheduler', ['graphql', 'http'],
      'scheduler → engine: the Agenda adapter never reaches up into GraphQL or HTTP'),
    layer('realtime-not-up', 'realtime', ['graphql', 'services', 'engine', 'scheduler', 'http'],
      'realtime is a pub/sub the layers above publish to and read from; it depends on none of them'),
    layer('db-is-the-bottom', 'db', ['graphql', 'services', 'engine', 'scheduler', 'http', 'realtime', 'actions', 'cli'],
      'db is the bottom layer: the Prisma client, the SQL statements and migrations depend on no layer above them'),
    {
      name: 'builtin-actions-only-action-sdk',
      severity: 'error',
      comment: 'packages/builtin-actions → @sundial/actions only: built-in actions reach the server through their context, never its code or tables',
      from: { path: '^packages/builtin-actions/' },
      to: { path: '^(apps|actions|prisma|bench|e2e)/|^packages/', pathNot: '^packages/(actions|builtin-actions)/' },
    },
    {
      name: 'action-sdk-standalone',
      severity: 'error',
      comment: '@sundial/actions is what action authors import: it depends on no app and no other workspace package',
      from: { path: '^packages/actions/' },
      to: { path: '^(apps|actions|prisma|bench|e2e)/|^packages/', pathNot: '^packages/actions/' },
    },
    {
      name: 'web-not-to-server',
      severity: 'error',
      comment: 'apps/web → its generated GraphQL types (apps/web/src/gql) only: the server is reached over HTTP, never imported',
      from: { path: '^apps/web/' },
      to: { path: '^(apps/server|prisma|actions|packages/builtin-actions)/' },
    },
    {
      name: 'server-not-to-web',
      severity: 'error',
      comment: 'the server serves the built web app as files; it imports none of its code',
      from: { path: '^apps/server/' },
      to: { path: '^apps/web/' },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'shipped code never imports test helpers, benchmarks or browser tests',
      from: { path: '^(apps/[^/]+|packages/[^/]+)/src/' },
      to: { path: '^(apps/[^/]+/test|packages/[^/]+/test|bench|e2e)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to nothing is a broken import (or a missing dependency)',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/|^apps/server/src/db/generated/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
