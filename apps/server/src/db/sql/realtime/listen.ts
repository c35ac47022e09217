// The cross-process bus's listening connection subscribes to its channel (realtime/postgres.ts).
import type { SqlClient } from '../client.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export async function listen(sql: SqlClient, channel: string): Promise<void> {
  // LISTEN takes an identifier, not a parameter: only a plain lowercase name is accepted.
  if (!IDENTIFIER.test(channel)) throw new Error(`not a channel name: ${JSON.stringify(channel)}`);
  await sql.query(`LISTEN ${channel}`);
}
