// `npm run codegen` (first step): print the Pothos schema to the root schema.graphql, the file the web app's
// typed documents are generated from. The web app depends on that file only, never on server code.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { schema } from '../graphql/schema.js';

// graphql ships both CommonJS (index.js, what Node and therefore Pothos load) and ESM (index.mjs, what Vite's
// resolver picks under Vitest); a schema built by one copy is rejected by the other's printSchema. require()
// always gets the copy Pothos built the schema with, under tsx and under Vitest alike.
const { lexicographicSortSchema, printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const SCHEMA_FILE = fileURLToPath(new URL('../../../../schema.graphql', import.meta.url));

const HEADER = '# Generated from apps/server/src/graphql by `npm run codegen`. Do not edit by hand.\n\n';

/** The schema as committed in schema.graphql: sorted, so a change shows up as a small diff. */
export function printSundialSchema(): string {
  return `${HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  fs.writeFileSync(SCHEMA_FILE, printSundialSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
