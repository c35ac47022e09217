// One execution per event for many subscribers. GraphQL runs a subscription's selection once per event per
// subscriber; for a live log watched by 200 clients that is 200 identical executions and JSON serialisations of
// every batch of lines, which is more work than the server can do at 1,000 lines a second. For the fields named
// here, subscribers whose events are the same object (the stream hands every subscriber the batch the bus
// delivered, realtime/streams.ts) and whose result cannot differ — same operation, same variables below the root
// field, same permissions — get the one result, and its JSON is made once (Yoga calls a result's own `stringify`).
// Only for fields whose result depends on the event and on permissions alone, never on who the viewer is: the
// result of one subscriber's execution is what another gets. Errors still pass each subscriber's own plugins
// (masking, the subscription guard), which wrap the stream this returns.
import type { Plugin } from 'graphql-yoga';
import type { DocumentNode, ExecutionArgs, ExecutionResult, FieldNode } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { graphql } from './graphql-runtime.js';

/** Results by event (the payload object), then by what else the result depends on. */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

export function useSharedSubscriptionEvents(fieldNames: readonly string[]): Plugin<GraphQLContext> {
  const shareable = new Set(fieldNames);
  return {
    onSubscribe({ args, setSubscribeFn }) {
      // Envelop types these arguments any; Yoga hands the parsed document and the request's operation name.
      const document = args.document as DocumentNode;
      const operation = graphql.getOperationAST(document, args.operationName as string | undefined);
      const root = operation?.selectionSet.selections;
      if (operation?.operation !== graphql.OperationTypeNode.SUBSCRIPTION || root?.length !== 1 || root[0]!.kind !== graphql.Kind.FIELD) return;
      const field = root[0] as FieldNode;
      if (!shareable.has(field.name.value) || field.directives?.length) return;
      const identity = (args.contextValue as GraphQLContext).identity;
      const key = JSON.stringify([
        graphql.print(operation),
        fragmentsText(document),
        variablesBelow(field, document).map((name) => [name, (args.variableValues as Record<string, unknown> | undefined)?.[name] ?? null]),
        identity ? [...identity.permissions].sort() : null,
      ]);
      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        const source = await graphql.createSourceEventStream(subscribeArgs);
        if (!isAsyncIterable(source)) return source;
        return mapShared(source, key, (payload) => graphql.execute({ ...subscribeArgs, rootValue: payload }));
      });
    },
  };
}

/**
 * The source's events as results, each executed once per key however many subscribers ask for it. A plain
 * iterator, not a Repeater: this runs once per event per subscriber, and a Repeater's push costs several promises
 * (the source, a Repeater itself, ends a pending `next` when `return` is called).
 */
function mapShared(
  source: AsyncIterable<unknown>,
  key: string,
  execute: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const next = await iterator.next();
      if (next.done) return { done: true, value: undefined };
      return { done: false, value: await shared(next.value, key, execute) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await iterator.return?.();
      throw error;
    },
  };
}

function shared(payload: unknown, key: string, execute: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>): Promise<ExecutionResult> {
  if (typeof payload !== 'object' || payload === null) return Promise.resolve(execute(payload)).then(withStoredJson);
  let byKey = results.get(payload);
  if (!byKey) results.set(payload, (byKey = new Map<string, Promise<ExecutionResult>>()));
  let result = byKey.get(key);
  if (!result) {
    result = Promise.resolve(execute(payload)).then(withStoredJson);
    byKey.set(key, result);
  }
  return result;
}

/** Yoga serialises a result with its own `stringify` when it has one: make the JSON once for every subscriber. */
function withStoredJson(result: ExecutionResult): ExecutionResult {
  let json: string | undefined;
  Object.defineProperty(result, 'stringify', {
    value: (value: unknown) => (value === result ? (json ??= JSON.stringify(value)) : JSON.stringify(value)),
    enumerable: false,
  });
  return result;
}

/** The variables the root field's selection uses (its own arguments serve the subscribe step, not each event). */
function variablesBelow(field: FieldNode, document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = { Variable: (node: { name: { value: string } }) => void names.add(node.name.value) };
  if (field.selectionSet) graphql.visit(field.selectionSet, collect);
  for (const definition of document.definitions) {
    if (definition.kind === graphql.Kind.FRAGMENT_DEFINITION) graphql.visit(definition, collect);
  }
  return [...names].sort();
}

function fragmentsText(document: DocumentNode): string[] {
  return document.definitions.filter((definition) => definition.kind === graphql.Kind.FRAGMENT_DEFINITION).map((definition) => graphql.print(definition));
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
