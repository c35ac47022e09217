// GET /auth/oidc/start and /auth/oidc/callback: single sign-on's two browser stops. Start sends the browser to the
// provider with a fresh state, nonce and PKCE verifier kept in an HttpOnly cookie; the callback hands the answer to
// the service (services/auth/oidc.ts) and sets the same session cookie a password sign-in sets. A refusal goes back
// to the sign-in page with a code the page puts in words (never text of the provider's, which anyone could forge).
import type http from 'node:http';
import { OIDC_CALLBACK_PATH, OIDC_FLOW_SECONDS, OIDC_START_PATH, type OidcFlow, type OidcSignIn } from '../services/auth/oidc.js';
import { CLIENT_IP_HEADER } from './forwarded.js';
import { readCookie, sessionCookie } from './identity.js';
import { sendJsonError } from './security.js';

export const OIDC_PREFIX = '/auth/oidc/';
const FLOW_COOKIE = 'sundial_oidc';

export async function handleOidc(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, oidc: OidcSignIn): Promise<void> {
  if (!oidc.enabled || (pathname !== OIDC_START_PATH && pathname !== OIDC_CALLBACK_PATH)) {
    sendJsonError(res, 404, 'NOT_FOUND', 'Single sign-on is not configured on this server (auth.oidc.issuer).', true);
    req.resume();
    return;
  }
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', 'This address takes GET requests only.', true);
    req.resume();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://sundial.invalid');
  const secure = isSecure(req);
  if (pathname === OIDC_START_PATH) {
    const started = await oidc.start(safeNext(url.searchParams.get('next')));
    if ('refusal' in started) return redirect(res, signInPage(started.refusal, '/'));
    return redirect(res, started.redirectTo.href, [flowCookie(started.flow, secure)]);
  }
  const outcome = await oidc.finish(url.searchParams, readFlow(req.headers.cookie), {
    ip: header(req, CLIENT_IP_HEADER) ?? null,
    userAgent: header(req, 'user-agent') ?? null,
  });
  const cleared = `${FLOW_COOKIE}=; Path=${OIDC_PREFIX}; HttpOnly; SameSite=Lax; Max-Age=0`;
  if (!outcome.ok) return redirect(res, signInPage(outcome.refusal, outcome.next), [cleared]);
  redirect(res, outcome.next, [cleared, sessionCookie(outcome.secret, outcome.expiresAt, secure)]);
}

/** Only a path inside this app: `?next=https://evil.example` must not become an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function signInPage(refusal: string, next: string): string {
  const query = new URLSearchParams({ sso: refusal, ...(next !== '/' ? { next } : {}) });
  return `/sign-in?${query}`;
}

function flowCookie(flow: OidcFlow, secure: boolean): string {
  const value = Buffer.from(JSON.stringify(flow)).toString('base64url');
  // SameSite=Lax: the provider's redirect back is a top-level GET, which carries it; a cross-site POST does not.
  return [`${FLOW_COOKIE}=${value}`, `Path=${OIDC_PREFIX}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${OIDC_FLOW_SECONDS}`, ...(secure ? ['Secure'] : [])].join('; ');
}

function readFlow(cookieHeader: string | undefined): OidcFlow | null {
  const value = readCookie(cookieHeader ?? null, FLOW_COOKIE);
  if (!value) return null;
  try {
    const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<OidcFlow>;
    const fields = [flow.state, flow.nonce, flow.verifier, flow.next];
    return fields.every((field) => typeof field === 'string' && field.length > 0 && field.length < 2000) ? (flow as OidcFlow) : null;
  } catch {
    return null;
  }
}

function redirect(res: http.ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) });
  res.end();
}

/** Reached over HTTPS, directly or through a trusted proxy (forwarded.ts drops the header from anyone else). */
function isSecure(req: http.IncomingMessage): boolean {
  return header(req, 'x-forwarded-proto') === 'https' || ('encrypted' in req.socket && req.socket.encrypted === true);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
