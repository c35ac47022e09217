// Column types as pg hands them over with its default parsers (timestamptz → Date, json/jsonb → parsed value,
// int4 → number, uuid and enums → string), for the row schemas of plain-SQL statements.
import { z } from 'zod';
import type { Prisma } from '../../prisma.js';

export const uuid = z.string();
export const timestamp = z.date();
export const int = z.number().int();
/** A json/jsonb column: pg parsed it, so it is JSON; only its presence is checked, not every nested value. */
export const json = z.custom<Prisma.JsonValue>((value) => value !== undefined, { error: 'is missing' });
