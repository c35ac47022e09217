// The one copy of `graphql` the schema, Yoga and GraphQL Armor use. graphql ships CommonJS (index.js, what Node
// gives every package) and ESM (index.mjs, what Vite's resolver picks for our own files under Vitest); errors and
// AST helpers from the other copy fail "from another module or realm". require() always gets the shared copy.
import { createRequire } from 'node:module';

export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
