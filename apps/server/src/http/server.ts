// One port: GraphQL at /graphql, health at /healthz, the built admin app everywhere else.
import fs from 'node:fs';
import http from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import sirv from 'sirv';
import type { Health } from '../services/health.js';

export interface HttpServerOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yoga's server/user context generics
  yoga: YogaServerInstance<any, any>;
  health: () => Promise<Health>;
  /** The built SPA (apps/web/dist); when missing, / says how to build it. */
  webDist: string;
}

export function createHttpServer({ yoga, health, webDist }: HttpServerOptions): http.Server {
  const hasWeb = fs.existsSync(webDist);
  const serveWeb = hasWeb
    ? sirv(webDist, { single: true, etag: true, immutable: true, gzip: false })
    : (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The admin app is not built. Run `npm run build`, or start with `npm start`, which builds it.\n');
      };

  return http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === yoga.graphqlEndpoint || pathname?.startsWith(`${yoga.graphqlEndpoint}/`)) {
      // The client's address for rate limits and audit, from the socket: a client-sent value is overwritten.
      req.headers['x-sundial-client-ip'] = req.socket.remoteAddress ?? '';
      void yoga.handle(req, res);
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
    serveWeb(req, res);
  });
}
