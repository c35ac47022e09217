// One password check per request. Aliases let a client put many `signIn` fields in one mutation
// (`a: signIn(…) b: signIn(…)`), turning one request into many password guesses; the rate limiter counts attempts,
// and this rule makes each attempt its own request: an operation with more than one field that checks a password
// is refused before anything runs. (Batched requests are off, so one request carries one operation.)
import type { FragmentDefinitionNode, SelectionSetNode, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { graphql } from './graphql-runtime.js';

/** Mutation fields that check a password or a two-factor code. */
export const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(['signIn', 'changePassword', 'signInWithCode', 'confirmTwoFactorEnrolment', 'disableTwoFactor']);

/** Root fields of a selection set, through inline fragments and fragment spreads (each fragment counted where used). */
function countCredentialFields(selectionSet: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === graphql.Kind.FIELD) {
      if (CREDENTIAL_FIELDS.has(selection.name.value)) count += 1;
    } else if (selection.kind === graphql.Kind.INLINE_FRAGMENT) {
      count += countCredentialFields(selection.selectionSet, context, seen);
    } else {
      const name = selection.name.value;
      if (seen.has(name)) continue; // a cycle; graphql's own validation reports it
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      if (fragment) count += countCredentialFields(fragment.selectionSet, context, new Set([...seen, name]));
    }
  }
  return count;
}

function oneCredentialCheckPerOperation(context: ValidationContext) {
  return {
    OperationDefinition(node: { operation: string; selectionSet: SelectionSetNode; name?: { value: string } | undefined }) {
      if (node.operation !== 'mutation') return;
      const count = countCredentialFields(node.selectionSet, context, new Set());
      if (count > 1) {
        context.reportError(
          new graphql.GraphQLError(
            `Only one of ${[...CREDENTIAL_FIELDS].join(', ')} may be sent per request; this operation has ${count}.`,
            { extensions: { code: 'TOO_MANY_CREDENTIAL_CHECKS' } },
          ),
        );
      }
    },
  };
}

export function useOneCredentialCheckPerRequest(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(oneCredentialCheckPerOperation);
    },
  };
}
