// A `roles` row, checked and turned into Prisma's Role. pg leaves an array of an enum as its text ('{A,B}'), so a
// statement reads `permissions::text[]`; the schema then checks each permission.
import { z } from 'zod';
import { Permission } from '../../generated/prisma/enums.js';
import type { Role } from '../../prisma.js';
import { timestamp, uuid } from './columns.js';

export const roleRow = z
  .object({
    id: uuid,
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.enum(Permission)),
    built_in: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .transform(
    (row): Role => ({
      id: row.id,
      name: row.name,
      description: row.description,
      permissions: row.permissions,
      builtIn: row.built_in,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
  );
