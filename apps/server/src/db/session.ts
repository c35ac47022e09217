// A dedicated connection kept open outside the pool, for state that lives as long as a session: the bus's LISTEN
// (realtime/postgres.ts) and a worker's liveness lock (engine/workers.ts). A lost connection is reopened with
// backoff and set up again; until then `since` is null.
import pg from 'pg';
import type { Logger } from '../lib/logger.js';

export interface SessionOptions {
  url: string;
  logger: Logger;
  /** The connection in log lines: "realtime: the LISTEN connection" (… was lost; reconnecting). */
  what: string;
  /** Runs on each new connection before it counts as open; a failure closes it and retries. */
  setUp(client: pg.Client): Promise<void>;
  /** The longest wait between two reconnection attempts. */
  maxBackoffMs: number;
}

export interface Session {
  /** When the open connection was set up (Date.now()); null while there is none. */
  readonly since: number | null;
  /**
   * The connection open or being opened (a query on it waits for the connection; `setUp` may still be running);
   * null between connections, when the next one's `setUp` runs first.
   */
  readonly client: pg.Client | null;
  close(): Promise<void>;
}

/** Opens the session; throws when the first connection or its set-up fails (nothing is retried then). */
export async function keepSession({ url, logger, what, setUp, maxBackoffMs }: SessionOptions): Promise<Session> {
  let closed = false;
  let current: pg.Client | null = null;
  let since: number | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let backoffMs = Math.min(250, maxBackoffMs);

  const drop = (client: pg.Client): void => {
    if (current === client) {
      current = null;
      since = null;
    }
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
  };

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    const lost = (error?: Error): void => {
      if (current !== client) return;
      drop(client);
      if (closed) return;
      logger.warn(`${what} was lost${error ? ` (${error.message})` : ''}; reconnecting`);
      scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    current = client;
    try {
      await client.connect();
      await setUp(client);
    } catch (error) {
      drop(client);
      throw error;
    }
    since = Date.now();
    backoffMs = Math.min(250, maxBackoffMs);
  };

  const scheduleReconnect = (): void => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect().catch((error: Error) => {
        logger.warn(`${what} could not reopen (${error.message}); retrying`);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        scheduleReconnect();
      });
    }, backoffMs);
  };

  await connect();

  return {
    get since() {
      return since;
    },
    get client() {
      return current;
    },
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const client = current;
      current = null;
      since = null;
      if (client) await client.end().catch(() => {});
    },
  };
}
