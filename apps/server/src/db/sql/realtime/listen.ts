// The cross-process bus's listening connection subscribes to its channels (realtime/postgres.ts).
import type { SqlClient } from '../client.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** LISTEN and UNLISTEN take an identifier, not a parameter: only a plain lowercase name is accepted. */
function channelName(channel: string): string {
  if (!IDENTIFIER.test(channel)) throw new Error(`not a channel name: ${JSON.stringify(channel)}`);
  return channel;
}

export async function listen(sql: SqlClient, channel: string): Promise<void> {
  await sql.query(`LISTEN ${channelName(channel)}`);
}

export async function unlisten(sql: SqlClient, channel: string): Promise<void> {
  await sql.query(`UNLISTEN ${channelName(channel)}`);
}
