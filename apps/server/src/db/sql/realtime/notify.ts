// Several NOTIFYs on one channel in one round trip, delivered in the order given (realtime/postgres.ts batches a
// tick's events into payloads and sends up to NOTIFY_PER_STATEMENT of them per statement).
import type { SqlClient } from '../client.js';

export const NOTIFY_PER_STATEMENT = 20;

const statements = new Map<number, string>();
/** `SELECT pg_notify($1, $2), pg_notify($1, $3), …`: one text per payload count, built once. */
const notifyText = (count: number): string => {
  let text = statements.get(count);
  if (text === undefined) {
    const calls = Array.from({ length: count }, (_payload, position) => `pg_notify($1, $${position + 2})`).join(', ');
    statements.set(count, (text = `SELECT ${calls}`));
  }
  return text;
};

export async function notifyAll(sql: SqlClient, channel: string, payloads: readonly string[]): Promise<void> {
  if (payloads.length === 0) return;
  if (payloads.length > NOTIFY_PER_STATEMENT) throw new RangeError(`at most ${NOTIFY_PER_STATEMENT} payloads per statement; got ${payloads.length}`);
  await sql.query(notifyText(payloads.length), [channel, ...payloads]);
}
