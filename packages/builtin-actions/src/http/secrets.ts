// Secrets in http.request headers: a job stores `{{secret:NAME}}`, the value comes from the environment
// (SUNDIAL_SECRET_NAME by default) only while the request is made, and is cut out of anything written back.
// Each secret is bound to the hosts it may be sent to (builtin.http.secret_hosts): whoever may save a job must not
// be able to send every secret of the install to a host of their choice.
import { normalizeHost } from './addresses.js';

/** `{{secret:NAME}}`; NAME is letters, digits and underscores. */
const SECRET_REFERENCE = /\{\{\s*secret:([A-Za-z0-9_]+)\s*\}\}/g;

/** Headers that carry credentials: their values must come from a secret, never stand in a job's args. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'private-token',
]);

export function referencesSecret(value: string): boolean {
  SECRET_REFERENCE.lastIndex = 0;
  return SECRET_REFERENCE.test(value);
}

/** The names of the secrets a header value refers to. */
export function secretNamesIn(value: string): string[] {
  // A fresh expression: matchAll starts where the shared one's lastIndex was left.
  return [...value.matchAll(new RegExp(SECRET_REFERENCE.source, 'g'))].map((match) => match[1]!);
}

/** Secret name → the hosts it may be sent to: exact names or addresses, or `*.example.com` for any subdomain. */
export type SecretHosts = Readonly<Record<string, readonly string[]>>;

export const SECRET_HOSTS_KEY = 'builtin.http.secret_hosts';

function hostMatches(pattern: string, host: string): boolean {
  const wanted = normalizeHost(pattern);
  if (wanted.startsWith('*.')) return host.endsWith(wanted.slice(1)) && host.length > wanted.length - 1;
  return wanted === host;
}

/**
 * Why the secret `name` may not be sent to `host`, or null when it may. Names are matched without regard to case
 * (environment variables that set the key arrive in lower case).
 */
export function secretHostRefusal(name: string, host: string, secretHosts: SecretHosts): string | null {
  const target = normalizeHost(host);
  const entry = Object.entries(secretHosts).find(([secret]) => secret.toLowerCase() === name.toLowerCase());
  if (!entry || entry[1].length === 0) {
    return `secret ${name} may not be sent to ${target}: ${SECRET_HOSTS_KEY} names no host for it (add ${name}: [${target}] to allow it)`;
  }
  if (entry[1].some((pattern) => hostMatches(pattern, target))) return null;
  return `secret ${name} may not be sent to ${target}: ${SECRET_HOSTS_KEY}.${name} allows only ${entry[1].join(', ')}`;
}

export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
}

export interface ResolvedHeaders {
  headers: Record<string, string>;
  /** Names (lower case) of headers whose values hold a secret: dropped on a redirect to another origin. */
  secretHeaders: Set<string>;
  /** The secret values used, to cut out of messages and output. */
  secrets: string[];
}

export function resolveSecretHeaders(
  headers: Readonly<Record<string, string>>,
  lookup: (variable: string) => string | undefined,
  prefix: string,
): ResolvedHeaders {
  const resolved: Record<string, string> = {};
  const secretHeaders = new Set<string>();
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    resolved[name] = value.replace(SECRET_REFERENCE, (_reference, secret: string) => {
      const variable = `${prefix}${secret}`;
      const found = lookup(variable);
      if (found === undefined || found === '') {
        throw new MissingSecretError(`header ${name} refers to secret ${secret}, but the environment variable ${variable} is not set`);
      }
      secretHeaders.add(name.toLowerCase());
      secrets.add(found);
      return found;
    });
  }
  // Longest first, so a secret that contains another is cut out whole.
  return { headers: resolved, secretHeaders, secrets: [...secrets].sort((a, b) => b.length - a.length) };
}

export const REDACTED = '[redacted]';
