// Fuzzing the real server: a few thousand operations built from the schema the server serves, then mutated
// (characters flipped, tokens dropped or repeated, arguments of the wrong type, odd JSON, odd bodies and headers),
// sent with no identity, a bad one, or the admin's. No answer may be a server error (HTTP 5xx, or an
// INTERNAL_SERVER_ERROR inside a 200), none may leak internals, and the server must still be healthy afterwards.
// The generator is seeded: a failure names the seed and the request, and replays the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const CONCURRENCY = 6;
// SQL as a statement's text (SELECT … FROM), not the word: GraphQL's own "must select only one top level field" is fine.
const LEAKS = /prisma|\bSELECT\b[^"]{0,200}\bFROM\b|INSERT INTO|UPDATE "|at \/|at file:|\.ts:\d|\.js:\d|node_modules|"stack"|PrismaClient|ECONN|constraint/i;

/** mulberry32: small, fast, seedable. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

// --- operations from the schema ----------------------------------------------------------------------------------

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface FieldInfo {
  name: string;
  args: { name: string; type: TypeRef }[];
  type: TypeRef;
}
interface TypeInfo {
  kind: string;
  name: string;
  fields: FieldInfo[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
  possibleTypes: { name: string }[] | null;
}
const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
const INTROSPECTION = `{ __schema { queryType { name } mutationType { name } subscriptionType { name } types {
  kind name enumValues { name } possibleTypes { name }
  fields { name type { ${TYPE_REF} } args { name type { ${TYPE_REF} } } }
  inputFields { name type { ${TYPE_REF} } } } } }`;

const named = (type: TypeRef): string => (type.ofType ? named(type.ofType) : type.name!);
const render = (type: TypeRef): string =>
  type.kind === 'NON_NULL' ? `${render(type.ofType!)}!` : type.kind === 'LIST' ? `[${render(type.ofType!)}]` : type.name!;

const WEIRD_VALUES: readonly unknown[] = [
  null, '', ' ', 'x'.repeat(5000), '00000000-0000-0000-0000-000000000000', 'not-a-uuid', "'; DROP TABLE jobs; --", '../../etc/passwd',
  '\u0000', '😀'.repeat(50), '<script>alert(1)</script>', -1, 0, 2 ** 31, 2 ** 53 + 7, -1e308, 1.5, Number.MAX_SAFE_INTEGER, true, false,
  [], [null], {}, { a: { b: { c: [1, 2, 3] } } }, '2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
  '* * * * * * *', '0 0 31 2 *', 'Europe/Nowhere', 'admin@localhost', '{"json": true}', 'NaN', 'Infinity',
];

class Generator {
  private readonly types: Map<string, TypeInfo>;
  constructor(
    private readonly rng: Random,
    schema: { types: TypeInfo[]; queryType: { name: string }; mutationType: { name: string } | null; subscriptionType: { name: string } | null },
    private readonly ids: () => string[],
  ) {
    this.types = new Map(schema.types.map((type) => [type.name, type]));
    this.roots = [
      ['query', schema.queryType.name],
      ...(schema.mutationType ? [['mutation', schema.mutationType.name] as const] : []),
    ];
  }
  private readonly roots: (readonly ['query' | 'mutation', string])[];

  /** A plausible value for an input type, sometimes a wrong one. */
  value(type: TypeRef, depth = 0): unknown {
    if (this.rng.chance(0.08)) return this.rng.pick(WEIRD_VALUES);
    if (type.kind === 'NON_NULL') return this.value(type.ofType!, depth);
    if (type.kind === 'LIST') return Array.from({ length: this.rng.int(3) }, () => this.value(type.ofType!, depth + 1));
    const info = this.types.get(type.name!)!;
    if (info.kind === 'ENUM') return this.rng.pick(info.enumValues!).name;
    if (info.kind === 'INPUT_OBJECT') {
      const value: Record<string, unknown> = {};
      for (const field of info.inputFields ?? []) {
        if (depth < 4 && (field.type.kind === 'NON_NULL' || this.rng.chance(0.5))) value[field.name] = this.value(field.type, depth + 1);
      }
      return value;
    }
    switch (type.name) {
      case 'ID': {
        const ids = this.ids();
        return ids.length > 0 && this.rng.chance(0.6) ? this.rng.pick(ids) : this.rng.pick(['00000000-0000-4000-8000-000000000000', 'abc', '1', '']);
      }
      case 'Int':
        return this.rng.pick([0, 1, 5, 50, -3, 1000, 10 ** 9]);
      case 'Float':
        return this.rng.next() * 100;
      case 'Boolean':
        return this.rng.chance(0.5);
      case 'DateTime':
        return new Date(Date.now() + (this.rng.next() - 0.3) * 86_400_000 * 30).toISOString();
      case 'JSON':
        return this.rng.pick([{}, { message: 'hi' }, { logLines: 2 }, [1, 2], 'text', 42]);
      default:
        return this.rng.pick(['hello', 'examples.noop', 'examples.reminder', '*/5 * * * *', 'UTC', 'Europe/Berlin', 'job one', 'a@b.example']);
    }
  }

  /** A selection for an output type, a few levels deep. */
  selection(typeName: string, depth: number): string {
    const info = this.types.get(typeName)!;
    if (info.kind === 'SCALAR' || info.kind === 'ENUM') return '';
    if (info.kind === 'UNION' || info.kind === 'INTERFACE') {
      const parts = (info.possibleTypes ?? []).slice(0, 3).map((possible) => `... on ${possible.name} ${this.selection(possible.name, depth + 1) || '{ __typename }'}`);
      return `{ __typename ${parts.join(' ')} }`;
    }
    const fields = (info.fields ?? []).filter((field) => depth < 3 || ['SCALAR', 'ENUM'].includes(this.types.get(named(field.type))!.kind));
    const chosen = fields.filter(() => this.rng.chance(0.5)).slice(0, 6);
    const parts = chosen.map((field) => {
      const args = field.args
        .filter((arg) => arg.type.kind === 'NON_NULL' || this.rng.chance(0.3))
        .map((arg) => `${arg.name}: ${JSON.stringify(this.value(arg.type)).replace(/"(\w+)":/g, '$1:')}`);
      return `${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''} ${this.selection(named(field.type), depth + 1)}`;
    });
    return `{ __typename ${parts.join(' ')} }`;
  }

  /** A valid-looking operation with variables. */
  operation(): { query: string; variables: Record<string, unknown>; operationName?: string } {
    const [keyword, rootName] = this.rng.pick(this.roots);
    const field = this.rng.pick(this.types.get(rootName)!.fields!);
    const args = field.args.filter((arg) => arg.type.kind === 'NON_NULL' || this.rng.chance(0.4));
    const declarations = args.map((arg) => `$${arg.name}: ${render(arg.type)}`);
    const variables = Object.fromEntries(args.map((arg) => [arg.name, this.value(arg.type)]));
    const call = `${field.name}${args.length > 0 ? `(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : ''}`;
    return {
      query: `${keyword} Fuzz${declarations.length > 0 ? `(${declarations.join(', ')})` : ''} { ${call} ${this.selection(named(field.type), 1)} }`,
      variables,
      ...(this.rng.chance(0.1) ? { operationName: this.rng.pick(['Fuzz', 'Other', '']) } : {}),
    };
  }

  /** Damages a document: flipped characters, dropped or repeated tokens, stray punctuation. */
  mutate(text: string): string {
    let out = text;
    const edits = 1 + this.rng.int(4);
    for (let edit = 0; edit < edits; edit++) {
      const at = this.rng.int(out.length + 1);
      switch (this.rng.int(6)) {
        case 0:
          out = out.slice(0, at) + out.slice(at + 1 + this.rng.int(8));
          break;
        case 1:
          out = out.slice(0, at) + this.rng.pick(['{', '}', '(', ')', '$', '!', '...', '@skip(if: true)', ':', '"', '#', '\\u0000', '[', ']', '__typename', 'fragment F on Query { __typename }', '\n']) + out.slice(at);
          break;
        case 2: {
          const piece = out.slice(at, at + 1 + this.rng.int(30));
          out = out.slice(0, at) + piece + piece + out.slice(at);
          break;
        }
        case 3:
          out = out.slice(0, at) + String.fromCharCode(32 + this.rng.int(95)) + out.slice(at + 1);
          break;
        case 4:
          out = out.replace(/\$\w+/, `$${this.rng.pick(['x', 'id', 'input', 'first'])}`);
          break;
        default:
          out = out.replace(/\b(query|mutation)\b/, this.rng.pick(['query', 'mutation', 'subscription', 'fragment', '']));
      }
    }
    return out;
  }

  request(tokens: { admin: string }): { body: string; headers: Record<string, string>; method: string; search: string } {
    const auth: Record<string, string> = this.rng.pick<Record<string, string>>([
      {},
      { authorization: `Bearer ${tokens.admin}` },
      { authorization: `Bearer ${tokens.admin}` },
      { authorization: 'Bearer sdt_not-a-real-token' },
      { authorization: this.rng.pick(['Basic YTpi', 'Bearer', 'Bearer  ', `Bearer ${'x'.repeat(3000)}`]) },
      { cookie: this.rng.pick(['sundial_session=sds_fake', 'sundial_session=%E0%A4%A', 'sundial_session=', 'a=b; sundial_session=sds_' + 'y'.repeat(200)]) },
    ]);
    const operation = this.operation();
    const kind = this.rng.int(10);
    let body: string;
    if (kind < 4) body = JSON.stringify(operation);
    else if (kind < 7) body = JSON.stringify({ ...operation, query: this.mutate(operation.query) });
    else if (kind === 7) body = this.mutate(JSON.stringify(operation));
    else if (kind === 8) body = JSON.stringify(this.rng.pick([[], [operation], 'query', 42, null, { query: 42 }, { query: operation.query, variables: 'not an object' }, { query: operation.query, variables: [1] }, { query: operation.query, extensions: { persistedQuery: { sha256Hash: 'x', version: 1 } } }]));
    else body = this.rng.pick(['', '{', 'null', 'query { health { status } }', '\u0000\u0001', '{"query":"{ health { status } }"'.repeat(3)]);
    const contentType = this.rng.chance(0.9) ? 'application/json' : this.rng.pick(['application/graphql', 'text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded']);
    const accept = this.rng.pick(['application/json', 'application/graphql-response+json', '*/*', 'text/event-stream', 'multipart/mixed', 'text/html']);
    if (this.rng.chance(0.07)) {
      const search = `?query=${encodeURIComponent(this.rng.chance(0.5) ? operation.query : this.mutate(operation.query))}&variables=${encodeURIComponent(this.rng.chance(0.7) ? JSON.stringify(operation.variables) : '{bad')}`;
      return { method: 'GET', search, body: '', headers: { accept, ...auth } };
    }
    return { method: 'POST', search: '', body, headers: { 'content-type': contentType, accept, 'x-sundial-csrf': '1', ...auth } };
  }
}

// --- the test -----------------------------------------------------------------------------------------------------

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('fuzz', () => {
  it(`sends ${REQUESTS} random and mutated operations: no server error, no internals leaked (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const introspection = await api.gql<{ __schema: ConstructorParameters<typeof Generator>[1] }>(INTROSPECTION);
    expect(introspection.errors).toBeUndefined();
    // Real ids make the fuzzer reach past "not found" into the services.
    const prisma = api.app.database.prisma;
    const ids: string[] = [];
    const refreshIds = async () => {
      const [users, roles, tokens, jobs, runs] = await Promise.all([
        prisma.user.findMany({ select: { id: true }, take: 5 }),
        prisma.role.findMany({ select: { id: true }, take: 5 }),
        prisma.apiToken.findMany({ select: { id: true }, take: 5, where: { name: { not: 'test admin' } } }),
        prisma.job.findMany({ select: { id: true }, take: 5 }),
        prisma.run.findMany({ select: { id: true }, take: 5 }),
      ]);
      ids.splice(0, ids.length, ...[users, roles, tokens, jobs, runs].flat().map((row) => row.id));
    };
    await refreshIds();
    const generator = new Generator(random(SEED), introspection.data!.__schema, () => ids);

    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < REQUESTS) {
        sent += 1;
        if (sent % 500 === 0) await refreshIds();
        const request = generator.request({ admin: api.adminToken });
        const controller = new AbortController();
        // Subscriptions that were accepted stay open: read what comes at once, then hang up.
        const timer = setTimeout(() => controller.abort(), 1500);
        let status = 0;
        let text = '';
        try {
          const response = await fetch(`${api.url}/graphql${request.search}`, {
            method: request.method,
            headers: request.headers,
            ...(request.method === 'POST' ? { body: request.body } : {}),
            signal: controller.signal,
          });
          status = response.status;
          text = await response.text();
        } catch (error) {
          if ((error as Error).name !== 'AbortError') problems.push(`request failed (${(error as Error).message}): ${JSON.stringify(request).slice(0, 600)}`);
        } finally {
          clearTimeout(timer);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const serverError = status >= 500 || /"code":"INTERNAL_SERVER_ERROR"/.test(text);
        const leak = LEAKS.exec(text);
        if (serverError || leak) {
          problems.push(`${serverError ? `server error ${status}` : `leak "${leak![0]}"`}: ${text.slice(0, 300)}\n  request: ${JSON.stringify(request).slice(0, 600)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Every kind of answer was seen (guards the generator): successes and refusals both.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect([...statuses.keys()].some((status) => status >= 400 && status < 500)).toBe(true);
    expect(problems.slice(0, 15), `${problems.length} problems with seed ${SEED}`).toEqual([]);

    const health = await api.gql<{ health: { status: string } }>('{ health { status } }');
    expect(health.data?.health.status).toBe('healthy');
  });
});
