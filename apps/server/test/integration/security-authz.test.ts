// Every root field is checked for access control, with a list generated from the schema the server serves (not kept
// by hand): each operation is built from introspection with placeholder arguments, and its required permission is
// read from the field's own Pothos authScopes. Without an identity every field but the public ones is refused; with
// a token lacking the permission it is refused too; with the admin token the same operation passes access control
// (so the refusals above are about access, not about a malformed operation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../src/db/prisma.js';
import { schema } from '../../src/graphql/schema.js';
import { ALL_PERMISSIONS } from '../../src/services/auth/permissions.js';
import { startTestApi, type TestApi } from '../support/api.js';

/** Root fields anyone may call: the only hand-kept part, and each has its reason. */
const PUBLIC_FIELDS: Readonly<Record<string, string>> = {
  'Query.health': 'load balancers and the status page probe it',
  'Query.viewer': 'answers null when nobody is signed in; the web app asks it first',
  'Query.signInOptions': 'the sign-in page asks how to sign in before anyone is signed in',
  'Mutation.signIn': 'how an identity is obtained',
  'Mutation.signInWithCode': "a sign-in's second step, after signIn's right password (the challenge proves it)",
};

// --- the schema as the server describes it (introspection), and each field's scopes as Pothos declared them -------

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
interface FieldInfo {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
interface TypeInfo {
  kind: string;
  name: string;
  fields: FieldInfo[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECTION = `{ __schema { queryType { name } mutationType { name } subscriptionType { name } types {
  kind name enumValues { name }
  fields { name type { ${TYPE_REF} } args { name defaultValue type { ${TYPE_REF} } } }
  inputFields { name defaultValue type { ${TYPE_REF} } } } } }`;

type Root = 'Query' | 'Mutation' | 'Subscription';
type Scopes = { kind: 'public' } | { kind: 'permission'; permission: Permission } | { kind: 'authenticated' } | { kind: 'dynamic' } | { kind: 'none' };

function scopesOf(root: Root, field: string): Scopes {
  if (PUBLIC_FIELDS[`${root}.${field}`]) return { kind: 'public' };
  const type = root === 'Query' ? schema.getQueryType() : root === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const options = (type?.getFields()[field]?.extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)?.pothosOptions;
  const scopes = options?.authScopes;
  if (typeof scopes === 'function') return { kind: 'dynamic' };
  if (scopes && typeof scopes === 'object') {
    const record = scopes as { permission?: Permission; authenticated?: boolean };
    if (record.permission) return { kind: 'permission', permission: record.permission };
    if (record.authenticated) return { kind: 'authenticated' };
    return { kind: 'dynamic' };
  }
  return { kind: 'none' };
}

function render(type: TypeRef): string {
  if (type.kind === 'NON_NULL') return `${render(type.ofType!)}!`;
  if (type.kind === 'LIST') return `[${render(type.ofType!)}]`;
  return type.name!;
}

function named(type: TypeRef): TypeRef {
  return type.ofType ? named(type.ofType) : type;
}

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

function placeholder(type: TypeRef, types: Map<string, TypeInfo>, depth = 0): unknown {
  if (type.kind === 'NON_NULL') return placeholder(type.ofType!, types, depth);
  if (type.kind === 'LIST') return [placeholder(type.ofType!, types, depth)];
  const info = types.get(type.name!)!;
  if (info.kind === 'ENUM') return info.enumValues![0]!.name;
  if (info.kind === 'INPUT_OBJECT') {
    const value: Record<string, unknown> = {};
    for (const field of info.inputFields ?? []) {
      if (field.type.kind === 'NON_NULL' && field.defaultValue === null && depth < 5) value[field.name] = placeholder(field.type, types, depth + 1);
    }
    return value;
  }
  switch (type.name) {
    case 'ID':
      return PLACEHOLDER_ID;
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'JSON':
      return {};
    default:
      return 'placeholder';
  }
}

interface Operation {
  root: Root;
  field: string;
  scopes: Scopes;
  query: string;
  variables: Record<string, unknown>;
}

function operationsFrom(introspection: { types: TypeInfo[]; queryType: { name: string }; mutationType: { name: string } | null; subscriptionType: { name: string } | null }): Operation[] {
  const types = new Map(introspection.types.map((type) => [type.name, type]));
  const roots: [Root, string | undefined][] = [
    ['Query', introspection.queryType.name],
    ['Mutation', introspection.mutationType?.name],
    ['Subscription', introspection.subscriptionType?.name],
  ];
  return roots.flatMap(([root, typeName]) =>
    typeName
      ? types.get(typeName)!.fields!.map((field) => {
          const required = field.args.filter((arg) => arg.type.kind === 'NON_NULL' && arg.defaultValue === null);
          const declarations = required.map((arg) => `$${arg.name}: ${render(arg.type)}`).join(', ');
          const args = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
          const returned = types.get(named(field.type).name!)!;
          const selection = returned.kind === 'SCALAR' || returned.kind === 'ENUM' ? '' : ' { __typename }';
          const keyword = root.toLowerCase();
          return {
            root,
            field: field.name,
            scopes: scopesOf(root, field.name),
            query: `${keyword} Check${declarations ? `(${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
            variables: Object.fromEntries(required.map((arg) => [arg.name, placeholder(arg.type, types)])),
          };
        })
      : [],
  );
}

// --- calling the server -----------------------------------------------------------------------------------------

interface Result {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function call(api: TestApi, operation: Operation, token: string | null): Promise<Result> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  if (operation.root !== 'Subscription') {
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: operation.query, variables: operation.variables }) });
    return (await response.json()) as Result;
  }
  // Subscriptions over Server-Sent Events: the first event says whether it was accepted.
  const controller = new AbortController();
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { ...headers, accept: 'text/event-stream' },
    body: JSON.stringify({ query: operation.query, variables: operation.variables }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const data = /^data: (.+)$/m.exec(text);
      if (data) return JSON.parse(data[1]!) as Result;
    }
  } catch {
    // Aborted: an accepted subscription that had nothing to send yet.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { data: {} };
}

function isRefused(result: Result, field: string): boolean {
  const refused = (result.errors ?? []).some(
    (error) => /Not authorized|not signed in|sign in/i.test(error.message) || ['UNAUTHENTICATED', 'FORBIDDEN'].includes(error.extensions?.code ?? ''),
  );
  return refused && (result.data?.[field] ?? null) === null;
}

// --- the tests --------------------------------------------------------------------------------------------------

let api: TestApi;
let operations: Operation[];
beforeAll(async () => {
  // Every mutation is called once without signing in: more than the anonymous mutation limit allows a minute (that
  // limit has its own test in security-audit.test.ts), and a rate-limited answer would hide what access control says.
  api = await startTestApi({ graphql: { anonymous_mutations_per_minute: 100_000 } });
  const introspection = await api.gql<{ __schema: Parameters<typeof operationsFrom>[0] }>(INTROSPECTION);
  expect(introspection.errors).toBeUndefined();
  operations = operationsFrom(introspection.data!.__schema);
});
afterAll(async () => {
  await api?.close();
});

describe('access control, for every root field of the schema', () => {
  it('found the fields (guards the generation itself)', () => {
    expect(operations.filter((operation) => operation.root === 'Mutation').length).toBeGreaterThanOrEqual(4);
    expect(operations.map((operation) => `${operation.root}.${operation.field}`)).toEqual(expect.arrayContaining(Object.keys(PUBLIC_FIELDS)));
  });

  it('every field but the public ones declares who may call it (authScopes)', () => {
    const undeclared = operations.filter((operation) => operation.scopes.kind === 'none').map((operation) => `${operation.root}.${operation.field}`);
    expect(undeclared, 'root fields without authScopes; add a scope, or list them in PUBLIC_FIELDS with a reason').toEqual([]);
  });

  it('refuses every non-public field without an identity', async () => {
    const notRefused: string[] = [];
    for (const operation of operations.filter((candidate) => candidate.scopes.kind !== 'public')) {
      const result = await call(api, operation, null);
      if (!isRefused(result, operation.field)) notRefused.push(`${operation.root}.${operation.field}: ${JSON.stringify(result)}`);
    }
    expect(notRefused).toEqual([]);
  });

  it('refuses every permission-scoped field to a token lacking that permission (and dynamic ones to a token with none)', async () => {
    const tokens = new Map<string, string>();
    const tokenWithout = async (missing: Permission | 'all') => {
      if (!tokens.has(missing)) {
        tokens.set(missing, await api.tokenWith(missing === 'all' ? [] : ALL_PERMISSIONS.filter((permission) => permission !== missing)));
      }
      return tokens.get(missing)!;
    };
    const notRefused: string[] = [];
    let checked = 0;
    for (const operation of operations) {
      const { scopes } = operation;
      if (scopes.kind !== 'permission' && scopes.kind !== 'dynamic') continue;
      const token = await tokenWithout(scopes.kind === 'permission' ? scopes.permission : 'all');
      const result = await call(api, operation, token);
      checked += 1;
      if (!isRefused(result, operation.field)) notRefused.push(`${operation.root}.${operation.field}: ${JSON.stringify(result)}`);
    }
    expect(checked).toBeGreaterThan(0);
    expect(notRefused).toEqual([]);
  });

  it('lets the admin through access control on every field (the generated operations are valid)', async () => {
    const problems: string[] = [];
    // Mutations that end the admin's own access go last.
    const last = new Set(['signOut', 'changePassword', 'revokeApiToken']);
    const ordered = [...operations].sort((a, b) => Number(last.has(a.field)) - Number(last.has(b.field)));
    for (const operation of ordered) {
      const result = await call(api, operation, api.adminToken);
      const messages = (result.errors ?? []).map((error) => error.message);
      // (signIn with placeholder credentials is refused for the credentials, not for access.)
      if (operation.scopes.kind !== 'public' && isRefused(result, operation.field)) problems.push(`${operation.root}.${operation.field} refused: ${messages.join('; ')}`);
      if (messages.some((message) => /Variable "\$|Cannot query field|Unknown argument|must have a selection/.test(message))) {
        problems.push(`${operation.root}.${operation.field} malformed: ${messages.join('; ')}`);
      }
      if ((result.errors ?? []).some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        problems.push(`${operation.root}.${operation.field} failed inside: ${messages.join('; ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
