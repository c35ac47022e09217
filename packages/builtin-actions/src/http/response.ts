// What of an HTTP response becomes the run's output: a selection of its headers and its body up to a cap.
import type { Readable } from 'node:stream';
import type { Redactor } from './redaction.js';

const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 1000;
/** Never kept: they carry the other side's credentials for this client, useless in a run's output. */
const DROPPED_HEADERS = new Set(['set-cookie', 'set-cookie2']);

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Lower-case names, one string per header (repeated headers joined by ", "), set-cookie left out, capped. */
export function selectHeaders(headers: ResponseHeaders, redactor: Redactor): Record<string, string> {
  const selected: Record<string, string> = {};
  let count = 0;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined || DROPPED_HEADERS.has(name.toLowerCase())) continue;
    if (count === MAX_HEADERS) break;
    const value = redactor.text(Array.isArray(raw) ? raw.join(', ') : raw);
    selected[name.toLowerCase()] = value.length > MAX_HEADER_VALUE ? `${value.slice(0, MAX_HEADER_VALUE)}…` : value;
    count += 1;
  }
  return selected;
}

export interface CappedBody {
  bytes: Buffer;
  /** The body was longer than the cap; `bytes` is its beginning. */
  truncated: boolean;
}

/** Reads up to `cap` bytes and stops reading there (the rest is never downloaded). */
export async function readCapped(body: Readable, cap: number): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = cap - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

export type BodyEncoding = 'json' | 'text' | 'base64' | 'none';

const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded|x-ndjson))/i;
const JSON_TYPES = /^application\/(json|[\w.+-]+\+json)/i;

/** The body as the output shows it: parsed JSON (when complete), text, or base64 for binary content. */
export function decodeBody(
  capped: CappedBody,
  contentType: string,
  redactor: Redactor,
): { body: unknown; bodyEncoding: BodyEncoding } {
  let { bytes } = capped;
  const { truncated } = capped;
  if (bytes.length === 0) return { body: null, bodyEncoding: 'none' };
  if (truncated) bytes = redactor.cutTail(redactor.bytes(bytes));
  const type = contentType.trim();
  // Cut from the bytes: in the base64 of the whole body a secret's spelling depends on where it falls.
  if (type !== '' && !TEXT_TYPES.test(type)) return { body: redactor.text(redactor.bytes(bytes).toString('base64')), bodyEncoding: 'base64' };
  // A cut in the middle of a UTF-8 character decodes to U+FFFD; drop that one character rather than show it.
  let text = redactor.text(new TextDecoder('utf-8').decode(bytes));
  if (truncated) text = text.replace(/\uFFFD$/, '');
  if (!truncated && JSON_TYPES.test(type)) {
    try {
      return { body: redactor.value(JSON.parse(text) as unknown), bodyEncoding: 'json' };
    } catch {
      // Not JSON after all (or a server that mislabels): keep the text.
    }
  }
  return { body: text, bodyEncoding: 'text' };
}
