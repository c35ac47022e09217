// Saving follow-ups checks the whole chain graph for a cycle; two saves at once could each see no cycle and
// together make one. A transaction-scoped advisory lock makes those checks one at a time.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

/** The lock's key: any bigint no other part of Sundial uses. */
const CHAINS_LOCK = 0x5d_c4_a1;

/** Waits for the chains lock; held until the caller's transaction ends. */
export async function lockChains(client: SqlClient): Promise<void> {
  const { rows } = await client.query('SELECT true AS locked FROM pg_advisory_xact_lock($1::bigint)', [CHAINS_LOCK]);
  parseRows(z.object({ locked: z.boolean() }), rows);
}
