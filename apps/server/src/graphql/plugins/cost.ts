// The cost of an operation, checked against `graphql.max_cost` before it runs. Estimated per field from what the
// server does for it, with the variables' values, so `first: $n` costs what it asks for:
// - an object field costs 1 (a row or a record read), a scalar or enum field 0 (it comes with its object), except a
//   connection's `totalCount` (a count statement): 1;
// - a list costs 1 + its size × the cost of one item. The size is the `first`, `last` or `count` asked for (or its
//   default), else a connection's default page size, else the bound the list is documented with (UNSIZED_LISTS) or
//   10. A connection's `edges` and `pageInfo` are counted inside their connection, `totalCount` once. The items of
//   a list one aggregate statement makes (a histogram's buckets, counts by status) cost nothing beyond the list;
// - introspection (`__schema`, `__type` and what is under them) costs nothing: it reads no rows.
// GraphQL Armor's own cost rule multiplies by `first` only when it is a literal and weights each level by 1.5, so
// ordinary pages (1,000 log lines; jobs with their latest runs) cost more than abusive ones that pass the size as a
// variable. The estimate is graphql-query-complexity's (fragments, unions, @skip/@include); the weights are ours.
import { createRequire } from 'node:module';
import type { DocumentNode, ExecutionArgs, FieldNode, GraphQLOutputType, GraphQLSchema, SelectionNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { graphql } from './graphql-runtime.js';

// Through require, as graphql-runtime.ts explains: the CommonJS build uses the same copy of `graphql` as the schema.
const { getComplexity } = createRequire(import.meta.url)('graphql-query-complexity') as typeof import('graphql-query-complexity');

/** Default page sizes of connections that do not use Pothos' default of 20. */
const CONNECTION_DEFAULT_SIZES: Readonly<Record<string, number>> = { 'Run.log': 200 };
const CONNECTION_DEFAULT_SIZE = 20;
/** Lists without a size argument and the bound each is documented with. */
const UNSIZED_LISTS: Readonly<Record<string, number>> = { 'RunLogLines.lines': 1000 };
/** Lists made by one aggregate statement (counts by status, histogram buckets): their field counts, their items not. */
const AGGREGATE_LISTS: ReadonlySet<string> = new Set(['RunHistogram.buckets', 'RunHistogramBucket.byStatus', 'RunCounts.byStatus']);
const UNSIZED_LIST_SIZE = 10;

const isConnectionName = (name: string) => name.endsWith('Connection');

function namedTypeName(type: GraphQLOutputType): string {
  return graphql.getNamedType(type).name;
}

function isList(type: GraphQLOutputType): boolean {
  return graphql.isListType(graphql.getNullableType(type));
}

/** The size asked for with `first`, `last` or `count`, when one was. */
function askedSize(args: Record<string, unknown>): number | null {
  for (const name of ['first', 'last', 'count']) {
    const value = args[name];
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  }
  return null;
}

/** Whether the field's own selection names `field` (directly or in an inline fragment). */
function selects(node: FieldNode, field: string): boolean {
  const visit = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) =>
      selection.kind === graphql.Kind.FIELD ? selection.name.value === field : selection.kind === graphql.Kind.INLINE_FRAGMENT && visit(selection.selectionSet.selections),
    );
  return node.selectionSet ? visit(node.selectionSet.selections) : false;
}

/** The cost of one field, given the cost of what is selected under it. */
export function fieldCost({ type, field, node, args, childComplexity }: ComplexityEstimatorArgs): number {
  const parent = type.name;
  const returns = namedTypeName(field.type);
  const coordinate = `${parent}.${field.name}`;
  // Introspection is answered from the schema in memory, reading no rows; depth and alias limits still bound it.
  if (parent.startsWith('__') || field.name.startsWith('__')) return childComplexity;
  if (isConnectionName(parent)) {
    // Inside a connection: the connection counted its page and its count.
    if (field.name === 'edges' || field.name === 'pageInfo') return childComplexity;
    if (field.name === 'totalCount') return 0;
  }
  if (isConnectionName(returns) && !isList(field.type)) {
    const size = askedSize(args) ?? CONNECTION_DEFAULT_SIZES[coordinate] ?? CONNECTION_DEFAULT_SIZE;
    return 1 + (selects(node, 'totalCount') ? 1 : 0) + size * childComplexity;
  }
  if (AGGREGATE_LISTS.has(coordinate)) return 1;
  if (isList(field.type)) {
    const size = askedSize(args) ?? UNSIZED_LISTS[coordinate] ?? UNSIZED_LIST_SIZE;
    const itemCost = graphql.isCompositeType(graphql.getNamedType(field.type)) ? 1 + childComplexity : 0;
    return 1 + size * itemCost;
  }
  if (graphql.isCompositeType(graphql.getNamedType(field.type))) return 1 + childComplexity;
  return 0;
}

/** Fields counted at most, fragments expanded; past it the operation is refused without an exact cost. */
export const MAX_COUNTED_FIELDS = 10_000;

/**
 * The cost of the operation; Infinity past MAX_COUNTED_FIELDS (fragments spread into each other can multiply a
 * short document); null when it cannot be estimated (variables that do not fit their types: execution refuses
 * them with its own error).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>, operationName?: string): number | null {
  try {
    return getComplexity({ schema, query: document, variables: variables ?? {}, operationName, estimators: [fieldCost], maxQueryNodes: MAX_COUNTED_FIELDS });
  } catch (error) {
    return error instanceof Error && /maximum allowed number of nodes/.test(error.message) ? Number.POSITIVE_INFINITY : null;
  }
}

/** The refusal: the cost found beside the limit and the setting, as the other document limits word it. */
export function costRefusal(cost: number, maxCost: number) {
  const found = Number.isFinite(cost) ? `found ${cost}` : `found more than ${MAX_COUNTED_FIELDS} fields once its fragments are expanded`;
  return createGraphQLError(`Query cost limit of ${maxCost} exceeded, ${found} (graphql.max_cost).`, {
    extensions: { code: 'QUERY_LIMIT_EXCEEDED', cost: Number.isFinite(cost) ? cost : null, maxCost, http: { status: 400 } },
  });
}

export function useQueryCost({ maxCost }: { maxCost: number }): Plugin {
  /** The refusal when the operation costs more than the limit. */
  const refusal = (args: ExecutionArgs) => {
    const cost = operationCost(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined);
    return cost !== null && cost > maxCost ? costRefusal(cost, maxCost) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
