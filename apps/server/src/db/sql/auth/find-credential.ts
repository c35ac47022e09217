// A token or session by its secret's hash (every request) or its id (the subscription guard's re-check), with its
// user and the union of the user's roles' permissions, in one statement (Prisma's include took four: credential,
// user, memberships, roles).
import { z } from 'zod';
import { Permission } from '../../generated/prisma/enums.js';
import { parseRows, type SqlClient } from '../client.js';

export type CredentialKind = 'token' | 'session';

/** The columns that differ between the two credential tables (fixed SQL, never input). */
const TABLES: Record<CredentialKind, { table: string; name: string; lastAt: string }> = {
  token: { table: 'api_tokens', name: 'c.name', lastAt: 'c.last_used_at' },
  session: { table: 'sessions', name: 'NULL::text', lastAt: 'c.last_seen_at' },
};

const statement = (kind: CredentialKind, where: string) => {
  const { table, name, lastAt } = TABLES[kind];
  return `
    SELECT c.id::text AS id, ${name} AS name, c.created_at AS "createdAt", c.revoked_at AS "revokedAt", c.expires_at AS "expiresAt",
      ${lastAt} AS "lastAt",
      u.id::text AS "userId", u.email, u.name AS "userName", u.active, u.totp_enabled_at IS NOT NULL AS "twoFactor",
      ARRAY(SELECT DISTINCT p::text FROM user_roles ur JOIN roles r ON r.id = ur.role_id, unnest(r.permissions) AS p
            WHERE ur.user_id = u.id) AS permissions
    FROM ${table} c JOIN users u ON u.id = c.user_id
    WHERE ${where}`;
};

const STATEMENTS = {
  token: { hash: statement('token', 'c.token_hash = $1'), id: statement('token', 'c.id = $1::uuid') },
  session: { hash: statement('session', 'c.token_hash = $1'), id: statement('session', 'c.id = $1::uuid') },
} as const;

const credentialRow = z.object({
  id: z.string(),
  name: z.string().nullable(),
  createdAt: z.date(),
  revokedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  lastAt: z.date().nullable(),
  userId: z.string(),
  email: z.string(),
  userName: z.string(),
  active: z.boolean(),
  twoFactor: z.boolean(),
  permissions: z.array(z.enum(Permission)),
});

export type CredentialRow = z.infer<typeof credentialRow>;

export async function findCredential(
  sql: SqlClient,
  kind: CredentialKind,
  by: { secretHash: string } | { id: string },
): Promise<CredentialRow | null> {
  const { rows } = 'secretHash' in by ? await sql.query(STATEMENTS[kind].hash, [by.secretHash]) : await sql.query(STATEMENTS[kind].id, [by.id]);
  return parseRows(credentialRow, rows)[0] ?? null;
}
