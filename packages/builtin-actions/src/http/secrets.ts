// Secrets in http.request headers: a job stores `{{secret:NAME}}`, the value comes from the environment
// (SUNDIAL_SECRET_NAME by default) only while the request is made, and is cut out of anything written back.

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

/** `text` with every secret value replaced by [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(REDACTED);
  return out;
}
