// One port: GraphQL at /graphql (subscriptions over Server-Sent Events or a WebSocket), health at /healthz, readiness at /readyz, metrics at /metrics when a token is set
// (metrics.token), the built admin app everywhere else.
import fs from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { YogaServerInstance } from 'graphql-yoga';
import sirv from 'sirv';
import type { Health } from '../services/health.js';
import type { Readiness } from '../services/readiness.js';
import type { GraphQLWebSocket } from './websocket.js';
import { createForwardedGuard, misdirectedMessage, type ForwardedPolicy } from './forwarded.js';
import { createRequestLimiter } from './load-shedding.js';
import { serveMetrics, type Metrics } from './metrics.js';
import { handleWebhook, HOOKS_PREFIX, type WebhookRouteOptions } from './webhooks.js';
import { handleOidc, OIDC_PREFIX } from './oidc.js';
import type { OidcSignIn } from '../services/auth/oidc.js';
import {
  ADMIN_APP_CSP,
  attachBody,
  csrfProblem,
  isAllowedOrigin,
  isSameOrigin,
  originProblem,
  queryStringProblem,
  readBoundedBody,
  SECURITY_HEADERS,
  sendJsonError,
  type HttpSecurityOptions,
} from './security.js';

export interface HttpServerOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yoga's server/user context generics
  yoga: YogaServerInstance<any, any>;
  health: () => Promise<Health>;
  readiness: () => Promise<Readiness>;
  /** /metrics, served here only when metrics.token is set (a scrape must send it). */
  metrics: { metrics: Metrics; token: string };
  /** The built SPA (apps/web/dist); when missing, / says how to build it. */
  webDist: string;
  security: HttpSecurityOptions & ForwardedPolicy & ConnectionLimits;
  /** POST /hooks/<id>: jobs' inbound webhooks. */
  webhooks: WebhookRouteOptions;
  /** GET /auth/oidc/start and /auth/oidc/callback: single sign-on (404 while it is not configured). */
  oidc: OidcSignIn;
  /** Told of each request refused here before GraphQL (CSRF), for the audit log. */
  onRefused?: (req: http.IncomingMessage, code: string, reason: string) => void;
  /** GraphQL over WebSocket (websocket.ts); without it, upgrade requests are refused. */
  webSocket?: Pick<GraphQLWebSocket, 'handleUpgrade'>;
}

/**
 * How long a client may take, how many connections it may hold and how many GraphQL requests the process works on
 * at once (server.*_timeout_ms, max_connections_per_address, max_requests_in_flight).
 */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnectionsPerAddress: number;
  maxRequestsInFlight: number;
}

export function createHttpServer({ yoga, health, readiness, metrics, webDist, security, webhooks, oidc, onRefused, webSocket }: HttpServerOptions): http.Server {
  const hasWeb = fs.existsSync(webDist);
  const serveWeb = hasWeb
    ? sirv(webDist, { single: true, etag: true, immutable: true, gzip: false })
    : (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The admin app is not built. Run `npm run build`, or start with `npm start`, which builds it.\n');
      };

  const handleGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const refusal = csrfProblem(req) ?? originProblem(req, security.corsOrigins);
    if (refusal) {
      onRefused?.(req, 'FORBIDDEN_ORIGIN', refusal);
      sendJsonError(res, 403, 'FORBIDDEN_ORIGIN', refusal, true);
      req.resume();
      return;
    }
    const badQuery = queryStringProblem(req);
    if (badQuery) {
      sendJsonError(res, 400, 'BAD_REQUEST', badQuery);
      return;
    }
    // The body is read here, bounded, before Yoga (which has no limit) reads it.
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      const body = await readBoundedBody(req, res, security.maxBodyBytes);
      if (body === null) return;
      attachBody(req, body);
    }
    if (req.headers.accept?.includes('text/event-stream')) coalesceWrites(res);
    await yoga.handle(req, res);
  };

  const forwarded = createForwardedGuard(security);
  const limiter = createRequestLimiter(security.maxRequestsInFlight, metrics.metrics.registry);

  // Node's defaults let a client take 60 s for its headers and 300 s for its request, on as many connections as it
  // likes. requestTimeout covers receiving the request only: a live stream (Server-Sent Events) is an answer and
  // stays open; it counts against the per-address cap like any connection.
  const server = http.createServer(
    {
      headersTimeout: Math.min(security.headersTimeoutMs, security.requestTimeoutMs),
      requestTimeout: security.requestTimeoutMs,
      keepAliveTimeout: security.keepAliveTimeoutMs,
      // How often Node looks for connections past those timeouts (its default, 30 s, would let them overstay).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(security.headersTimeoutMs / 4))),
    },
    (req, res) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      const pathname = (req.url ?? '/').split('?')[0];
      // The client's address (for rate limits and audit) and the host asked for, believing only trusted proxies.
      const misdirected = forwarded.check(req);
      // Probes and scrapers address the server by whatever name or address they have; health and readiness hold
      // nothing to steal, and /metrics wants its token.
      if (misdirected !== null && pathname !== '/healthz' && pathname !== '/readyz' && pathname !== '/metrics') {
        sendJsonError(res, 421, 'MISDIRECTED_REQUEST', misdirectedMessage(misdirected), true);
        req.resume();
        return;
      }
      if (pathname === yoga.graphqlEndpoint || pathname?.startsWith(`${yoga.graphqlEndpoint}/`)) {
        if (!limiter.admit(req, res)) return;
        handleGraphQL(req, res).catch(() => {
          // A client that went away mid-body; nothing useful to answer.
          if (!res.headersSent) sendJsonError(res, 400, 'BAD_REQUEST', 'The request body could not be read.', true);
          else res.destroy();
        });
        return;
      }
      if (pathname?.startsWith(HOOKS_PREFIX)) {
        handleWebhook(req, res, pathname, webhooks).catch(() => {
          if (!res.headersSent) sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'The webhook could not be handled; try again.', true);
          else res.destroy();
        });
        return;
      }
      if (pathname?.startsWith(OIDC_PREFIX)) {
        handleOidc(req, res, pathname, oidc).catch(() => {
          if (!res.headersSent) sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Single sign-on could not be completed; try again.', true);
          else res.destroy();
        });
        return;
      }
      if (pathname === '/healthz') {
        health().then(
          (report) => {
            res.writeHead(report.status === 'healthy' ? 200 : 503, {
              'content-type': 'application/json',
              'cache-control': 'no-store',
            });
            res.end(JSON.stringify(report));
          },
          () => {
            res.writeHead(503, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ status: 'unhealthy' }));
          },
        );
        return;
      }
      if (pathname === '/readyz') {
        serveReadiness(readiness, res);
        return;
      }
      if (pathname === '/metrics') {
        if (metrics.token) serveMetrics(metrics.metrics, metrics.token, req, res);
        else {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Metrics are not served on this port: set metrics.token, or scrape metrics.port.\n');
        }
        return;
      }
      res.setHeader('content-security-policy', ADMIN_APP_CSP);
      serveWeb(req, res);
    },
  );
  limitConnectionsPerAddress(server, security.maxConnectionsPerAddress);
  // An upgrade arrives on a connection the per-address cap has already counted, and keeps counting while open.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, code: string, message: string) => {
      if (code === 'FORBIDDEN_ORIGIN') onRefused?.(req, code, message);
      const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    };
    const misdirected = forwarded.check(req);
    if (misdirected !== null) return refuse(421, 'MISDIRECTED_REQUEST', misdirectedMessage(misdirected));
    const pathname = (req.url ?? '/').split('?')[0];
    if (!webSocket || pathname !== yoga.graphqlEndpoint || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      return refuse(400, 'BAD_REQUEST', `WebSocket connections are accepted at ${yoga.graphqlEndpoint} only (graphql-ws protocol).`);
    }
    // A WebSocket handshake is not covered by CORS: a page of another site could open one with the session cookie.
    // Browsers always send Origin; programs (with a token) need not.
    const origin = req.headers.origin;
    if (origin !== undefined && (origin === 'null' || (!isSameOrigin(req, origin) && !isAllowedOrigin(origin, security.corsOrigins)))) {
      return refuse(403, 'FORBIDDEN_ORIGIN', `WebSocket connections from origin ${origin} are not allowed (server.cors_origins).`);
    }
    webSocket.handleUpgrade(req, socket, head);
  });
  return server;
}

/** Closes a new connection at once when its address already holds `max` open ones. */
function limitConnectionsPerAddress(server: http.Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * A subscription's events go out as one socket write per event loop turn: Yoga writes each Server-Sent Event in
 * two pieces, and a live log watched by many clients sends many events at once, so writing each piece as it comes
 * costs a system call (and a TCP segment) per piece per client. Held writes go out on the next turn (setImmediate).
 * The socket is corked, not the response: Node 22's `ServerResponse.uncork` throws when the chunks it holds came
 * without callbacks (it reads `callbacks.length` of undefined), and those chunks never reach the socket.
 */
function coalesceWrites(res: http.ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  let held = false;
  const release = () => {
    held = false;
    if (!socket.destroyed) socket.uncork();
  };
  res.write = ((...args: unknown[]) => {
    if (!held && !res.writableEnded) {
      held = true;
      socket.cork();
      setImmediate(release);
    }
    return write(...args);
  }) as typeof res.write;
}

/** 200 when ready, 503 with the reason otherwise (load balancers and orchestrators read the code). */
export function serveReadiness(readiness: () => Promise<Readiness>, res: http.ServerResponse): void {
  readiness().then(
    (report) => {
      res.writeHead(report.status === 'ready' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(report));
    },
    () => {
      res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: 'not ready', reason: 'the readiness check failed' }));
    },
  );
}
