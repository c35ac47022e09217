// A `users` row read with `SELECT u.*`, checked and turned into Prisma's User.
import { z } from 'zod';
import type { User } from '../../prisma.js';
import { json, timestamp, uuid } from './columns.js';

export const userRow = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    attributes: json,
    password_hash: z.string().nullable(),
    active: z.boolean(),
    last_sign_in_at: timestamp.nullable(),
    totp_secret: z.string().nullable(),
    totp_enabled_at: timestamp.nullable(),
    // int8 arrives as text from pg
    totp_last_step: z.union([z.string(), z.number(), z.bigint()]).nullable().transform((step) => (step === null ? null : BigInt(step))),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .transform(
    (row): User => ({
      id: row.id,
      email: row.email,
      name: row.name,
      attributes: row.attributes,
      passwordHash: row.password_hash,
      active: row.active,
      lastSignInAt: row.last_sign_in_at,
      totpSecret: row.totp_secret,
      totpEnabledAt: row.totp_enabled_at,
      totpLastStep: row.totp_last_step,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
  );
