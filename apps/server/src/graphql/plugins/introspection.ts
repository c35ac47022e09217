// Introspection off (production default): a document that asks for __schema or __type is refused at validation.
// __typename stays allowed; clients need it. Written on the AST only, so it cannot be fooled by fragments.
import type { ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { graphql } from './graphql-runtime.js';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

function noIntrospection(context: ValidationContext) {
  return {
    Field(node: { name: { value: string } }) {
      if (INTROSPECTION_FIELDS.has(node.name.value)) {
        context.reportError(
          new graphql.GraphQLError(
            `Introspection is disabled on this server (${node.name.value}); set graphql.introspection to enable it.`,
            { nodes: [node as never], extensions: { code: 'INTROSPECTION_DISABLED' } },
          ),
        );
      }
    },
  };
}

export function useDisableIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noIntrospection);
    },
  };
}
