// Each entry of a definitions document is applied in its own savepoint inside the apply's transaction, so a problem
// (or an update that changed nothing) rolls back just that entry. One function per statement.
import type { SqlClient } from '../client.js';

export async function openEntrySavepoint(client: SqlClient): Promise<void> {
  await client.query('SAVEPOINT definition_entry');
}

export async function releaseEntrySavepoint(client: SqlClient): Promise<void> {
  await client.query('RELEASE SAVEPOINT definition_entry');
}

export async function rollbackToEntrySavepoint(client: SqlClient): Promise<void> {
  await client.query('ROLLBACK TO SAVEPOINT definition_entry');
}
