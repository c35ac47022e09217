// GraphQL Code Generator: the committed schema.graphql (printed from the server by `npm run codegen`) and the
// documents written in apps/web and packages/client → typed documents in apps/web/src/gql and
// packages/client/src/gql. The output is committed, so building the web app or the client never needs codegen or
// the server.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'apps/web/src/gql/': {
      documents: ['apps/web/src/**/*.{ts,tsx}', '!apps/web/src/gql/**'],
      preset: 'client',
      presetConfig: {
        // Components read only what their own fragment asked for (`<Component>_<Type>Fragment` + useFragment).
        fragmentMasking: { unmaskFunctionName: 'useFragment' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // A custom scalar without a mapping here is unknown, not any: nothing pretends to know its shape.
        defaultScalarType: 'unknown',
      },
    },
    // The integrators' client: documents as typed strings (no graphql-js at run time, so the browser bundle stays
    // small), imports with `.js` for Node's ESM resolution, and no fragment masking (results are handed to callers).
    'packages/client/src/gql/': {
      documents: ['packages/client/src/**/*.ts', '!packages/client/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        documentMode: 'string',
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
