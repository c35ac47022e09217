// Rows read with plain SQL (the engine's hottest statements skip Prisma's per-query cost) in Prisma's shape.
// Column names are the fields' names in snake_case (schema.prisma maps every one that way), and pg's default
// type parsing gives what Prisma gives for the column types these tables use; a test compares the two.
import type { Run } from './prisma.js';

const camelCache = new Map<string, string>();

function camel(column: string): string {
  let name = camelCache.get(column);
  if (name === undefined) camelCache.set(column, (name = column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())));
  return name;
}

/** A row of `SELECT *` / `RETURNING *` with its keys in camelCase. */
function camelRow(row: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const column in row) result[camel(column)] = row[column];
  return result;
}

/** A `runs` row (all columns) as Prisma's Run. */
export function runFromRow(row: Record<string, unknown>): Run {
  return camelRow(row) as unknown as Run;
}
