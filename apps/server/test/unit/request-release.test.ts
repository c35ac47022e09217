import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { GraphQLContext } from '../../src/graphql/context.js';
import { useRequestRelease } from '../../src/graphql/request-context.js';
import { batchLoader } from '../../src/graphql/types/common.js';

// A real Yoga over a small schema whose field reads through a request's batch loader, as the jobs page's fields do.
function server() {
  const contexts: GraphQLContext[] = [];
  const loads: string[][] = [];
  const loadersDuring: number[] = [];
  const schema = createSchema<GraphQLContext>({
    typeDefs: 'type Item { id: ID!, label: String } type Query { items: [Item!]! }',
    resolvers: {
      Query: { items: () => [{ id: 'a' }, { id: 'b' }, { id: 'c' }] },
      Item: {
        label: async (item: { id: string }, _args: unknown, context: GraphQLContext) => {
          const load = batchLoader<string>(context, 'item.label', async (ids) => {
            loads.push(ids);
            return new Map(ids.map((id) => [id, `label ${id}`]));
          });
          const label = await load(item.id);
          loadersDuring.push(context.requestCache.size);
          return label;
        },
      },
    },
  });
  const yoga = createYoga({
    schema,
    // Only what the loaders use: the rest of GraphQLContext is the app's services.
    context: () => {
      const context = { requestCache: new Map() } as unknown as GraphQLContext;
      contexts.push(context);
      return context;
    },
    plugins: [useRequestRelease()],
    logging: false,
  });
  const ask = async () => {
    const response = await yoga.fetch('http://sundial.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ items { id label } }' }),
    });
    return (await response.json()) as { data?: { items: { id: string; label: string }[] }; errors?: unknown };
  };
  return { ask, contexts, loads, loadersDuring };
}

describe('useRequestRelease', () => {
  it("empties the request's batch loaders once its operation is done, after one load for the whole list", async () => {
    const { ask, contexts, loads, loadersDuring } = server();
    const result = await ask();
    expect(result.errors).toBeUndefined();
    expect(result.data?.items.map((item) => item.label)).toEqual(['label a', 'label b', 'label c']);
    expect(loads).toEqual([['a', 'b', 'c']]);
    expect(loadersDuring).toEqual([1, 1, 1]);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.requestCache.size).toBe(0);
  });

  it('gives the next request loaders of its own (nothing carried over)', async () => {
    const { ask, contexts, loads } = server();
    await ask();
    await ask();
    expect(loads).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(contexts.map((context) => context.requestCache.size)).toEqual([0, 0]);
  });
});
