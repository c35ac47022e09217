// Every GraphQL document the guides show and the typed client sends costs at most half of the default
// graphql.max_cost, so integrators who start from them have room to add fields; the web app's stay within the limit.
// The costs are computed on the committed schema.graphql, as the server computes them (plugins/cost.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentNode, GraphQLInputType, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { costRefusal, operationCost } from '../../src/graphql/plugins/cost.js';
import { graphql } from '../../src/graphql/plugins/graphql-runtime.js';
import { DOCS, extractBlocks, REPO } from '../support/guide-blocks.js';

const MAX_COST = configSchema.parse({}).graphql.max_cost;

interface Sample {
  where: string;
  source: string;
}

/** GraphQL written in the guides: ```graphql blocks, and `"query": "…"` / `query: '…'` strings in other blocks. */
function guideDocuments(): Sample[] {
  const samples: Sample[] = [];
  for (const name of fs.readdirSync(DOCS).filter((file) => file.endsWith('.md')).sort()) {
    for (const block of extractBlocks(fs.readFileSync(path.join(DOCS, name), 'utf8'), `docs/${name}`)) {
      const where = `${block.file}:${block.line}`;
      if (block.lang === 'graphql') {
        samples.push({ where, source: block.code });
        continue;
      }
      // In shell heredocs `$` is escaped as `\$`; the rest is a JSON string.
      for (const match of block.code.matchAll(/"query"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
        samples.push({ where, source: JSON.parse(`"${match[1]!.replaceAll('\\$', '$')}"`) as string });
      }
      for (const match of block.code.matchAll(/\bquery\s*:\s*'([^']*)'/g)) samples.push({ where, source: match[1]! });
    }
  }
  return samples;
}

/** The documents of a codegen'd module: each operation with every fragment of the file appended. */
function taggedDocuments(file: string): Sample[] {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  const sources = [...text.matchAll(/graphql\(`([^`]*)`\)/g)].map((match) => match[1]!);
  const fragments = sources.filter((source) => /^\s*fragment\s/.test(source));
  return sources.filter((source) => !fragments.includes(source)).map((source) => ({ where: file, source: [source, ...fragments].join('\n') }));
}

function webDocuments(): Sample[] {
  const root = path.join(REPO, 'apps/web/src');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file) && !file.startsWith('gql'));
  const sources = files.flatMap((file) =>
    [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/graphql\(`([^`]*)`\)/g)].map((match) => ({ where: `apps/web/src/${file}`, source: match[1]! })),
  );
  const fragments = sources.filter(({ source }) => /^\s*fragment\s/.test(source)).map(({ source }) => source);
  return sources.filter(({ source }) => !fragments.includes(source)).map(({ where, source }) => ({ where, source: [source, ...fragments].join('\n') }));
}

let schema: GraphQLSchema;
beforeAll(() => {
  schema = graphql.buildSchema(fs.readFileSync(path.join(REPO, 'schema.graphql'), 'utf8'));
});

/** A value of a required variable's type, for costing a document without the variables it is sent with. */
function placeholder(type: GraphQLInputType): unknown {
  if (graphql.isNonNullType(type)) return placeholder(type.ofType);
  if (graphql.isListType(type)) return [];
  if (graphql.isEnumType(type)) return type.getValues()[0]!.value;
  if (graphql.isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => graphql.isNonNullType(field.type) && field.defaultValue === undefined);
    return Object.fromEntries(fields.map((field) => [field.name, placeholder(field.type)]));
  }
  const scalars: Record<string, unknown> = { Int: 1, Float: 1, Boolean: false, DateTime: '2026-01-01T00:00:00Z', JSON: {} };
  return scalars[type.name] ?? 'x';
}

/** Page sizes passed as variables are taken as 100, the largest page the web app asks for. */
const PAGE_VARIABLE = /^(first|last|count|pageSize)$/;

function placeholders(operation: OperationDefinitionNode): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (PAGE_VARIABLE.test(name)) variables[name] = 100;
    else if (definition.type.kind === graphql.Kind.NON_NULL_TYPE && !definition.defaultValue) {
      variables[name] = placeholder(graphql.typeFromAST(schema, definition.type) as GraphQLInputType);
    }
  }
  return variables;
}

/** Each operation of a sample with its cost (a guide's block may show several operations, each sent alone). */
function costs(sample: Sample): { name: string; cost: number }[] {
  const parsed: DocumentNode = graphql.parse(sample.source);
  const fragments = parsed.definitions.filter((definition) => definition.kind === graphql.Kind.FRAGMENT_DEFINITION);
  return parsed.definitions
    .filter((definition) => definition.kind === graphql.Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const document: DocumentNode = { kind: graphql.Kind.DOCUMENT, definitions: [operation, ...fragments] };
      const name = `${sample.where} ${operation.name?.value ?? '(anonymous)'}`;
      // Every fragment of a file is appended to each of its operations: unused ones are expected.
      const errors = graphql.validate(schema, document).filter((error) => !/is never used/.test(error.message));
      expect(errors.map((error) => `${name}: ${error.message}`)).toEqual([]);
      const cost = operationCost(schema, document, placeholders(operation));
      expect(cost, name).not.toBeNull();
      return { name, cost: cost! };
    });
}

const cost = (source: string, variables: Record<string, unknown> = { id: 'x' }) => operationCost(schema, graphql.parse(source), variables);

describe('query cost', () => {
  it('finds the documents of the guides and the typed client', () => {
    expect(guideDocuments().length).toBeGreaterThan(20);
    expect(taggedDocuments('packages/client/src/operations.ts').length).toBeGreaterThanOrEqual(6);
  });

  it('costs every document of the guides and the typed client at most half of graphql.max_cost', () => {
    const all = [...guideDocuments(), ...taggedDocuments('packages/client/src/operations.ts')].flatMap(costs);
    const over = all.filter(({ cost }) => cost > MAX_COST / 2);
    expect(over).toEqual([]);
  });

  it("costs every document of the web app at most graphql.max_cost", () => {
    const all = webDocuments().flatMap(costs);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter(({ cost }) => cost > MAX_COST)).toEqual([]);
  });

  it('lets ordinary pages through with room to spare', () => {
    // A page of 1,000 log lines.
    expect(cost('query ($id: ID!) { run(id: $id) { log(first: 1000) { pageInfo { hasNextPage endCursor } edges { node { sequence time level message data } } } } }')).toBe(1 + 1 + 1000 * 1);
    // 50 jobs, each with its 5 latest runs.
    expect(
      cost('{ jobs(first: 50) { totalCount edges { node { id name lastRun { status } runs(first: 5) { edges { node { id status finishedAt } } } } } } }'),
    ).toBe(1 + 1 + 50 * (1 + 1 + (1 + 5 * 1)));
    expect(cost('{ jobs(first: 50) { edges { node { id runs(first: 5) { edges { node { id } } } } } } }')).toBeLessThan(MAX_COST / 2);
  });

  it('lets the full introspection query through (it reads the schema, no rows) and still counts data beside it', () => {
    expect(cost(graphql.getIntrospectionQuery())).toBe(0);
    expect(cost('{ __schema { types { name } } jobs(first: 50) { edges { node { id } } } }')).toBe(1 + 50 * 1);
  });

  it('counts a page size given as a variable like one written in the document', () => {
    const query = 'query ($n: Int) { runs(first: $n) { edges { node { id } } } }';
    expect(cost(query, { n: 100_000 })).toBe(cost('{ runs(first: 100000) { edges { node { id } } } }'));
    expect(cost(query, { n: 100_000 })).toBeGreaterThan(MAX_COST);
    // Without one, the connection's default page size (20).
    expect(cost(query)).toBe(21);
  });

  it('refuses deep nesting and huge pages', () => {
    // Within the default depth limit (15), but 20 × 20 × 20 × 20 runs.
    const deep = '{ jobs { edges { node { runs { edges { node { children { edges { node { children { edges { node { id } } } } } } } } } } } } }';
    expect(cost(deep)).toBeGreaterThan(MAX_COST);
    expect(cost('{ jobs(first: 100) { edges { node { runs(first: 100) { edges { node { log(first: 1000) { edges { node { message } } } } } } } } } }')).toBeGreaterThan(
      MAX_COST,
    );
  });

  it('gives the costs the table in docs/graphql.md shows', () => {
    expect(cost('{ viewer { email permissions } }')).toBe(2);
    expect(cost('query ($id: ID!) { run(id: $id) { log(last: 20) { edges { node { sequence message } } } } }')).toBe(22);
    expect(cost('{ jobs(first: 50) { totalCount edges { node { id lastRun { status } runs(first: 5) { edges { node { id } } } } } } }')).toBe(402);
    expect(cost('{ jobs(first: 100) { edges { node { id runs(first: 10) { edges { node { id } } } } } } }')).toBe(1201);
    expect(cost('{ auditEvents(first: 100000) { edges { node { id } } } }')).toBe(100_001);
    expect(cost('{ jobs { edges { node { runs { edges { node { children { edges { node { children { edges { node { id } } } } } } } } } } } } }')).toBe(176_841);
    expect(cost('{ jobs(first: 100) { edges { node { runs(first: 100) { edges { node { log(first: 1000) { edges { node { message } } } } } } } } } }')).toBe(10_020_201);
    expect(cost('subscription ($id: ID!) { runLogLines(runId: $id) { lastSequence lines { sequence message } } }')).toBe(1002);
    expect(cost('mutation { enableJob(id: "nope") { ... on MutationEnableJobSuccess { job { runs(first: 200) { edges { node { log(first: 1000) { edges { node { message } } } } } } } } } }')).toBe(200_403);
  });

  it('refuses fragments that multiply a short document past the fields it counts', () => {
    const levels = Array.from({ length: 16 }, (_, level) => `fragment F${level} on Job { ...F${level + 1} ...F${level + 1} }`).join(' ');
    const document = `query ($id: ID!) { job(id: $id) { ...F0 } } ${levels} fragment F16 on Job { id name }`;
    expect(cost(document)).toBe(Number.POSITIVE_INFINITY);
    expect(costRefusal(Number.POSITIVE_INFINITY, MAX_COST).message).toBe(`Query cost limit of ${MAX_COST} exceeded, found more than 10000 fields once its fragments are expanded (graphql.max_cost).`);
  });
});
