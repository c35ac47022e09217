// Cutting secret values out of what http.request stores (output, error messages, log lines). A secret can come back
// in any encoding the action itself applies to what it stores: as text, percent-encoded in a URL the action parsed
// (a redirect's Location), escaped inside JSON, and base64 — the whole binary body is stored as base64, so the secret
// is cut out of the raw bytes before encoding (its base64 depends on where it falls in the body), and a secret the
// other side base64-encoded itself is cut out as text.
import { REDACTED } from './secrets.js';

/** Every spelling of `secret` this action may store, longest first so a longer spelling is cut out whole. */
export function secretSpellings(secret: string): string[] {
  if (secret === '') return [];
  const bytes = Buffer.from(secret, 'utf8');
  const spellings = new Set<string>([
    secret,
    encodeURIComponent(secret),
    encodeURI(secret),
    // application/x-www-form-urlencoded, as URLSearchParams writes a query.
    new URLSearchParams({ v: secret }).toString().slice(2),
    // How the WHATWG URL parser writes the value in a path, a query and a fragment.
    ...urlSpellings(secret),
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
  ]);
  spellings.delete('');
  return [...spellings].sort((a, b) => b.length - a.length);
}

/** How the WHATWG URL parser writes the value in a path, a query and a fragment. */
function urlSpellings(secret: string): string[] {
  const path = `http://h/${secret}`;
  const query = `http://h/?${secret}`;
  const fragment = `http://h/#${secret}`;
  return [
    URL.canParse(path) ? new URL(path).pathname.slice(1) : '',
    URL.canParse(query) ? new URL(query).search.slice(1) : '',
    URL.canParse(fragment) ? new URL(fragment).hash.slice(1) : '',
  ];
}

export interface Redactor {
  /** `text` with every spelling of every secret replaced by [redacted]. */
  text(text: string): string;
  /** `bytes` with every spelling of every secret replaced by the bytes of [redacted]. */
  bytes(bytes: Buffer): Buffer;
  /** A body cut at the size cap may end with the start of a secret: that start is replaced too. */
  cutTail(bytes: Buffer): Buffer;
  /** A copy of a JSON value with every string (keys included) redacted. */
  value<T>(value: T): T;
}

export function createRedactor(secrets: readonly string[]): Redactor {
  const spellings = [...new Set(secrets.flatMap(secretSpellings))].sort((a, b) => b.length - a.length);
  const byteSpellings = spellings.map((spelling) => Buffer.from(spelling, 'utf8'));
  const replacement = Buffer.from(REDACTED, 'utf8');

  const text = (input: string): string => {
    let out = input;
    for (const spelling of spellings) if (out.includes(spelling)) out = out.split(spelling).join(REDACTED);
    return out;
  };

  const bytes = (input: Buffer): Buffer => {
    let out = input;
    for (const spelling of byteSpellings) {
      if (out.indexOf(spelling) < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (let at = out.indexOf(spelling); at >= 0; at = out.indexOf(spelling, from)) {
        parts.push(out.subarray(from, at), replacement);
        from = at + spelling.length;
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  };

  const cutTail = (input: Buffer): Buffer => {
    for (const spelling of byteSpellings) {
      // Longest start first; starts shorter than 4 bytes are too common in any text to mean the secret.
      for (let length = spelling.length - 1; length >= Math.min(4, spelling.length - 1) && length > 0; length -= 1) {
        if (input.length >= length && input.subarray(input.length - length).equals(spelling.subarray(0, length))) {
          return Buffer.concat([input.subarray(0, input.length - length), replacement]);
        }
      }
    }
    return input;
  };

  const value = <T>(input: T): T => {
    if (spellings.length === 0) return input;
    const walk = (node: unknown): unknown => {
      if (typeof node === 'string') return text(node);
      if (Array.isArray(node)) return node.map(walk);
      if (node !== null && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).map(([key, inner]) => [text(key), walk(inner)]));
      }
      return node;
    };
    return walk(input) as T;
  };

  return { text, bytes, cutTail, value };
}
