// GraphQL Armor: limits on what one document may ask for, checked while parsing and validating, before anything
// runs. Each refusal names the limit, what was found and the setting, e.g.
// "Query depth limit of 15 exceeded, found 16 (graphql.max_depth)."
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Config } from '../../config/schema.js';
import { graphql } from './graphql-runtime.js';

type ArmorConfig = NonNullable<Parameters<typeof EnvelopArmorPlugin>[0]>;
type RejectionHandling = Pick<NonNullable<ArmorConfig['maxDepth']>, 'onReject' | 'propagateOnRejection'>;

/**
 * Armor throws from inside validation by default, which Yoga answers like an execution error (HTTP 200). Reported
 * as validation errors instead, they get 400 like any invalid document, with a code and the setting to change.
 */
function reportAs(setting: string): RejectionHandling {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const message = `${error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '')} (${setting}).`;
        const refusal = new graphql.GraphQLError(message, { extensions: { code: 'QUERY_LIMIT_EXCEEDED' } });
        if (context) context.reportError(refusal);
        else throw refusal;
      },
    ],
  };
}

export function useSundialArmor(limits: Config['graphql'], { hideSuggestions }: { hideSuggestions: boolean }) {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.max_depth, exposeLimits: true, ignoreIntrospection: true, flattenFragments: true, ...reportAs('graphql.max_depth') },
    maxAliases: { n: limits.max_aliases, exposeLimits: true, ...reportAs('graphql.max_aliases') },
    // The token limit works in the parser, where there is no validation context: its refusal is thrown (Yoga answers 400).
    maxTokens: { n: limits.max_tokens, exposeLimits: true, ...reportAs('graphql.max_tokens') },
    maxDirectives: { n: limits.max_directives, exposeLimits: true, ...reportAs('graphql.max_directives') },
    // The cost limit is ours (cost.ts): Armor's counts a page size only when it is a literal.
    costLimit: { enabled: false },
    // "Did you mean …?" reveals field names; hidden whenever introspection is.
    blockFieldSuggestion: { enabled: hideSuggestions },
  });
}
