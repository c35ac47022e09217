// The web app's typed documents are generated from the committed schema.graphql; a server change that is not
// printed there would leave the web app compiling against a schema the server no longer serves.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSundialSchema, SCHEMA_FILE } from '../../src/cli/print-schema.js';

describe('schema.graphql', () => {
  it('matches the schema the server builds', () => {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    expect(
      committed,
      'schema.graphql is stale: run `npm run codegen` and commit schema.graphql and apps/web/src/gql',
    ).toBe(printSundialSchema());
  });
});
