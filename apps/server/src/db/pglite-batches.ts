// pglite-socket serves many connections from one PGlite session by queueing single protocol messages, and keeps
// one connection's messages together only while a transaction is open (electric-sql/pglite#1046, still so in
// 0.2.17). An extended-protocol query (Parse, Bind, Describe, Execute, then Sync) is outside any transaction
// between its messages, so two connections' queries interleave: one's Parse replaces the other's unnamed
// statement before its Bind — errors such as "bind message supplies 5 parameters, but prepared statement requires
// 1", or, when the shapes match, the wrong statement run with the other query's values. Seen here under a worker's
// ordinary concurrency (log writes, heartbeats and timers at once): log lines were lost.
//
// The socket server asks the database whether a transaction is open to decide whether the last connection keeps
// the queue. Answering "yes" also while that connection is inside an extended-protocol batch keeps every batch
// whole: the queue then waits for the same connection's next message, up to its Sync.
import type { PGlite } from '@electric-sql/pglite';

/** Message types of the extended query protocol that leave a batch open until the client's Sync. */
const IN_BATCH = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((type) => type.charCodeAt(0)));

/** The PGlite instance as the socket server should see it: a connection's extended-protocol batch is never split. */
export function keepBatchesTogether(db: PGlite): PGlite {
  let batchOpen = false;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => batchOpen || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          try {
            return await target.execProtocolRawStream(message, options);
          } finally {
            // The socket server passes one message at a time; its first byte is its type (a startup message,
            // which has none, starts with its length's high byte, 0).
            batchOpen = IN_BATCH.has(message[0] ?? 0);
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
