// What the HTTP layer checks before GraphQL sees a request: body size, cross-site requests, and the CORS answer.
// graphql-yoga's defaults are permissive (any Origin echoed with credentials, no body limit); these are not.
import type http from 'node:http';
import { Readable } from 'node:stream';

export interface HttpSecurityOptions {
  /** Largest request body accepted, in bytes (server.max_body_bytes). */
  maxBodyBytes: number;
  /** Origins other than the server's own whose pages may call the API with credentials (server.cors_origins). */
  corsOrigins: readonly string[];
}

/** Headers every response carries: no MIME sniffing, no framing by other sites, no referrer leaks. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * The admin app's Content-Security-Policy: everything from this origin only, no inline script or style, no plugins,
 * no <base> rewriting, no framing. The built app needs nothing more (e2e/csp.spec.ts visits every page under it).
 * Not sent on /graphql, whose GraphiQL page (development only by default) is Yoga's own.
 */
export const ADMIN_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A client error answered by the HTTP layer itself, as JSON in the GraphQL response shape. */
export function sendJsonError(res: http.ServerResponse, status: number, code: string, message: string, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // A body we refused to read may still be arriving: do not keep this connection for another request.
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

export function bodyTooLargeMessage(maxBodyBytes: number): string {
  return `Request body is larger than the limit of ${maxBodyBytes} bytes (server.max_body_bytes).`;
}

/**
 * Reads the request body, but never more than maxBytes: a declared Content-Length over the limit is refused before
 * a byte is read, and a chunked body is cut off as soon as it passes the limit. Resolves to null when it answered 413.
 */
export function readBoundedBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  maxBytes: number,
  /** Answers the 413 (default: the GraphQL-shaped error naming server.max_body_bytes). */
  answerTooLarge: () => void = () => sendJsonError(res, 413, 'PAYLOAD_TOO_LARGE', bodyTooLargeMessage(maxBytes), true),
): Promise<Buffer | null> {
  const refuse = () => {
    answerTooLarge();
    // Stop reading; the client gets the 413 and the connection is closed once it is written.
    req.unpipe();
    req.pause();
    res.once('finish', () => req.socket.destroySoon?.());
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    refuse();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        refuse();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Hands a body read by readBoundedBody to graphql-yoga: the Node adapter uses `req.body` when present instead of
 * reading the (already consumed) request stream. A stream, not a Buffer, because the adapter enumerates the keys of
 * what it is given and a Buffer's keys are its bytes.
 */
export function attachBody(req: http.IncomingMessage, body: Buffer): void {
  (req as http.IncomingMessage & { body?: Readable }).body = Readable.from(body.length > 0 ? [body] : []);
}

const SIMPLE_CONTENT_TYPES = new Set(['', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/** Headers a page on another site cannot send without a CORS preflight, which only configured origins pass. */
export const CSRF_HEADERS = ['x-sundial-csrf', 'x-graphql-yoga-csrf', 'graphql-preflight', 'apollo-require-preflight'] as const;

/**
 * CSRF prevention (what Apollo and Yoga call csrfPrevention): a request a browser may send cross-site without a
 * preflight — a "simple" content type (form posts, text/plain) and no custom header — is refused. JSON requests need
 * a preflight, which CORS answers only for configured origins. Returns a reason to refuse, or null.
 */
export function csrfProblem(req: http.IncomingMessage): string | null {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return null;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!SIMPLE_CONTENT_TYPES.has(contentType)) return null;
  if (CSRF_HEADERS.some((header) => req.headers[header] !== undefined)) return null;
  return (
    'This request could have been sent by another site (CSRF): send it with Content-Type: application/json, ' +
    `or add one of the headers ${CSRF_HEADERS.join(', ')}.`
  );
}

/**
 * GraphQL over GET carries variables and extensions as JSON in the query string; Yoga parses them unguarded and
 * answers malformed JSON with a server error (500). Refused here with a 400 that says which parameter is wrong.
 */
export function queryStringProblem(req: http.IncomingMessage): string | null {
  const at = req.url?.indexOf('?') ?? -1;
  if (at < 0) return null;
  const params = new URLSearchParams(req.url!.slice(at + 1));
  for (const name of ['variables', 'extensions']) {
    const value = params.get(name);
    if (value === null || value === '') continue;
    try {
      JSON.parse(value);
    } catch {
      return `The "${name}" query parameter is not valid JSON.`;
    }
  }
  return null;
}

/** The server's own origin as the browser sees it: the Host header (or the proxy's X-Forwarded-Host). */
function ownHosts(req: http.IncomingMessage): string[] {
  const forwarded = req.headers['x-forwarded-host'];
  return [req.headers.host, ...(Array.isArray(forwarded) ? forwarded : forwarded ? forwarded.split(',') : [])]
    .filter((host): host is string => Boolean(host))
    .map((host) => host.trim().toLowerCase());
}

export function isSameOrigin(req: http.IncomingMessage, origin: string): boolean {
  try {
    return ownHosts(req).includes(new URL(origin).host.toLowerCase());
  } catch {
    return false;
  }
}

export function isAllowedOrigin(origin: string, corsOrigins: readonly string[]): boolean {
  return corsOrigins.includes(origin.toLowerCase());
}

/**
 * A browser request that carries the session cookie and changes something must come from this server's own pages or
 * a configured origin. SameSite cookies and the CSRF check above already stop cross-site posts; this also covers
 * browsers and proxies that get those wrong. Requests without a cookie (API tokens) are not browser-driven.
 */
export function originProblem(req: http.IncomingMessage, corsOrigins: readonly string[]): string | null {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return null;
  const origin = req.headers.origin;
  if (!origin || !req.headers.cookie) return null;
  if (origin !== 'null' && (isSameOrigin(req, origin) || isAllowedOrigin(origin, corsOrigins))) return null;
  return `Requests with credentials from origin ${origin} are not allowed (server.cors_origins).`;
}

export interface CorsAnswer {
  origin: string[];
  credentials: boolean;
  methods: string[];
  allowedHeaders: string[];
  maxAge: number;
}

/**
 * graphql-yoga's CORS options for one request. Yoga echoes any Origin with credentials when given no list (and even
 * an empty list), so the answer is built per request: configured origins get exactly their own origin back, every
 * other origin gets no CORS headers at all (`false`), which browsers treat as "not allowed".
 */
export function corsFor(corsOrigins: readonly string[]) {
  return (request: Request): CorsAnswer | false => {
    const origin = request.headers.get('origin');
    if (!origin || !isAllowedOrigin(origin, corsOrigins)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'accept', ...CSRF_HEADERS],
      maxAge: 600,
    };
  };
}
