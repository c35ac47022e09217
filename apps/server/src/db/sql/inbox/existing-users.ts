// Which of these user ids name a stored user: to say which recipients of an inbox delivery do not exist.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const EXISTING_USERS = `SELECT id::text AS id FROM users WHERE id = ANY($1::uuid[])`;

export async function selectExistingUserIds(sql: SqlClient, userIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql.query(EXISTING_USERS, [userIds]);
  return new Set(parseRows(z.object({ id: z.string() }), rows).map((row) => row.id));
}
