// One definitions apply at a time per install: processes starting together would otherwise race to create the same
// keys. A transaction-scoped advisory lock, released by the apply's commit or rollback.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

/** The lock's key: any bigint no other part of Sundial uses. */
const APPLY_LOCK = 0x5d_de_f1;

const Locked = z.object({ locked: z.boolean() });

/** Waits for the install's apply lock; held until the caller's transaction ends. */
export async function lockDefinitionsApply(client: SqlClient): Promise<void> {
  const { rows } = await client.query('SELECT true AS locked FROM pg_advisory_xact_lock($1::bigint)', [APPLY_LOCK]);
  parseRows(Locked, rows);
}
