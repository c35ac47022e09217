// server.max_requests_in_flight: past it a GraphQL request is answered 503 with Retry-After at once. Queued behind
// the others it would still be answered, but only after every request before it (200 clients on a busy 2-core
// machine saw p50 3.3 s, p99 19 s, nothing refused): a quick 503 lets a client, a proxy or a load balancer retry
// elsewhere or later, and keeps the answers that are given fast.
//
// What is not counted, on purpose: /healthz, /readyz and /metrics (a probe refused under load would have an
// orchestrator restart a process that is only busy; they never wait on GraphQL), the admin app's files (read from
// disk, no database), and a live subscription stream once its stream has begun (it holds a connection, not the
// process's work; streams are bounded by server.max_connections_per_address and checked by the subscription guard).
import type http from 'node:http';
import { Counter, Gauge, type Registry } from 'prom-client';
import { sendJsonError } from './security.js';

/** Seconds a refused client is asked to wait: long enough for the requests ahead of it to finish. */
export const RETRY_AFTER_SECONDS = 1;

/** Largest body read and dropped to keep the connection of a refused request; a larger one closes it. */
const DRAIN_BYTES = 64 * 1024;

export interface RequestLimiter {
  /** Counts the request in, or answers it 503 and returns false. It leaves the count when its answer is done. */
  admit(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  readonly inFlight: number;
}

export function createRequestLimiter(max: number, registry: Registry): RequestLimiter {
  let inFlight = 0;
  new Gauge({
    name: 'sundial_http_requests_in_flight',
    help: 'GraphQL requests this process is working on (live streams that have begun not counted), up to server.max_requests_in_flight.',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const shed = new Counter({
    name: 'sundial_http_requests_shed_total',
    help: 'GraphQL requests answered 503 because server.max_requests_in_flight were in flight.',
    registers: [registry],
  });

  return {
    get inFlight() {
      return inFlight;
    },
    admit(req, res) {
      if (inFlight >= max) {
        shed.inc();
        const length = Number(req.headers['content-length'] ?? Number.NaN);
        const keepConnection = req.headers['transfer-encoding'] === undefined && (Number.isNaN(length) || length <= DRAIN_BYTES);
        res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        sendJsonError(
          res,
          503,
          'OVERLOADED',
          `The server is working on ${max} requests already (server.max_requests_in_flight); retry after ${RETRY_AFTER_SECONDS} s.`,
          !keepConnection,
        );
        req.resume();
        return false;
      }
      inFlight += 1;
      let counted = true;
      const leave = () => {
        if (!counted) return;
        counted = false;
        inFlight -= 1;
      };
      res.once('close', leave);
      // An event stream's operation has been executed (a query) or subscribed (a subscription) when its headers are
      // written; from there it only waits for events.
      if (req.headers.accept?.includes('text/event-stream')) {
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
        res.writeHead = (...args: unknown[]) => {
          leave();
          return writeHead(...args);
        };
      }
      return true;
    },
  };
}
