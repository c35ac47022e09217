// Limits on the variables of a request, which GraphQL Armor does not look at and where job args arrive as JSON:
// total size, nesting depth, and no keys that reach into object prototypes. Also no NUL characters, in variables or
// in the document's string literals: PostgreSQL cannot store them, so they could only end in a database error.
// Checked before parsing the document, so a refused request executes nothing.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface VariablesLimits {
  maxBytes: number;
  maxDepth: number;
}

/** Keys that, copied into a plain object by careless code, change every object (prototype pollution). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** What is wrong with a variables (or extensions) value, or null. Iterative: a deep value cannot overflow the stack. */
export function variablesProblem(value: unknown, limits: VariablesLimits, name = 'variables'): string | null {
  const stack: { node: unknown; depth: number; path: string }[] = [{ node: value, depth: 0, path: name }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node === 'string' && node.includes('\u0000')) return `${name} may not contain NUL characters (at ${path}).`;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limits.maxDepth) {
      return `${name} are nested deeper than the limit of ${limits.maxDepth} levels (graphql.max_variables_depth), at ${path}.`;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push({ node: item, depth: depth + 1, path: `${path}[${index}]` }));
      continue;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) return `${name} may not contain the key "${key}" (at ${path}).`;
      if (key.includes('\u0000')) return `${name} may not contain NUL characters (at ${path}).`;
      stack.push({ node: (node as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key}` });
    }
  }
  if (value !== undefined && value !== null) {
    // Depth is bounded now, so serialising cannot recurse too far.
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > limits.maxBytes) {
      return `${name} are ${bytes} bytes, more than the limit of ${limits.maxBytes} bytes (graphql.max_variables_bytes).`;
    }
  }
  return null;
}

/** A NUL character, literal or escaped (`\u0000`) in a string literal of the document. */
// eslint-disable-next-line no-control-regex -- a NUL is exactly what this looks for
const NUL_IN_DOCUMENT = /\u0000|\\u0000|\\u\{0+\}/i;

export function useVariablesLimits(limits: VariablesLimits): Plugin {
  return {
    onParams({ params }) {
      const problem =
        (params.query && NUL_IN_DOCUMENT.test(params.query) ? 'The document may not contain NUL characters (\\u0000).' : null) ??
        variablesProblem(params.variables, limits, 'variables') ??
        variablesProblem(params.extensions, limits, 'extensions');
      if (problem) {
        throw createGraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      }
    },
  };
}
