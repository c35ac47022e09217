// GraphQL Code Generator: the committed schema.graphql (printed from the server by `npm run codegen`) and the
// documents written in apps/web → typed documents in apps/web/src/gql. The output is committed, so building the
// web app never needs codegen or the server.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['apps/web/src/**/*.{ts,tsx}', '!apps/web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'apps/web/src/gql/': {
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
  },
};

export default config;
