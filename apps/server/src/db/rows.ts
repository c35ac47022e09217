// Rows read with plain SQL (the engine's hottest statements skip Prisma's per-query cost) in Prisma's shape, checked
// column by column: a renamed or retyped column fails here with its name, not later as an undefined field. The
// checks are typeof and instanceof tests (a claim of 16 runs costs microseconds); zod would cost more than the
// statement saves. pg's default type parsing gives what Prisma gives for these tables' column types; a test
// compares the two.
import type { Prisma, Role, Run, User } from './prisma.js';
import { LogLevel, Permission, RunStatus, RunTrigger } from './generated/prisma/enums.js';

/** A row as pg (or Prisma's raw queries) returns it. */
export type SqlRow = Record<string, unknown>;

export class RowShapeError extends Error {
  override name = 'RowShapeError';
  constructor(column: string, expected: string, value: unknown) {
    super(`column "${column}": expected ${expected}, got ${value === null ? 'null' : typeof value}`);
  }
}

export function text(row: SqlRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new RowShapeError(column, 'text', value);
  return value;
}

export function textOrNull(row: SqlRow, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function int(row: SqlRow, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new RowShapeError(column, 'an integer', value);
  return value;
}

export function intOrNull(row: SqlRow, column: string): number | null {
  return row[column] === null ? null : int(row, column);
}

/** A count(*) (bigint: pg gives text, Prisma a BigInt) as a number. */
export function count(row: SqlRow, column: string): number {
  const value = row[column];
  if (typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'string' && /^\d+$/.test(value))) return Number(value);
  throw new RowShapeError(column, 'a count', value);
}

export function bool(row: SqlRow, column: string): boolean {
  const value = row[column];
  if (typeof value !== 'boolean') throw new RowShapeError(column, 'a boolean', value);
  return value;
}

export function date(row: SqlRow, column: string): Date {
  const value = row[column];
  if (!(value instanceof Date)) throw new RowShapeError(column, 'a timestamp', value);
  return value;
}

export function dateOrNull(row: SqlRow, column: string): Date | null {
  return row[column] === null ? null : date(row, column);
}

function isJson(value: unknown): value is Prisma.JsonValue {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'bigint' && typeof value !== 'symbol';
}

/** A json/jsonb column, parsed by the driver. */
export function json(row: SqlRow, column: string): Prisma.JsonValue {
  const value = row[column];
  if (!isJson(value)) throw new RowShapeError(column, 'JSON', value);
  return value;
}

export function oneOf<T extends string>(allowed: ReadonlySet<string>, guard: (value: string) => value is T) {
  return (row: SqlRow, column: string): T => {
    const value = row[column];
    if (typeof value !== 'string' || !allowed.has(value) || !guard(value)) {
      throw new RowShapeError(column, [...allowed].join(' | '), value);
    }
    return value;
  };
}

function enumReader<E extends Record<string, string>>(values: E) {
  const allowed = new Set<string>(Object.values(values));
  return oneOf(allowed, (value: string): value is E[keyof E] => allowed.has(value));
}

export const runStatus = enumReader(RunStatus);
export const runTrigger = enumReader(RunTrigger);
export const logLevel = enumReader(LogLevel);
const permission = enumReader(Permission);

/** A `runs` row (all columns) as Prisma's Run. */
export function runFromRow(row: SqlRow): Run {
  return {
    id: text(row, 'id'),
    jobId: text(row, 'job_id'),
    parentRunId: textOrNull(row, 'parent_run_id'),
    targetUserId: textOrNull(row, 'target_user_id'),
    startedById: textOrNull(row, 'started_by_id'),
    occurrenceKey: textOrNull(row, 'occurrence_key'),
    trigger: runTrigger(row, 'trigger'),
    title: textOrNull(row, 'title'),
    args: json(row, 'args'),
    since: dateOrNull(row, 'since'),
    status: runStatus(row, 'status'),
    statusReason: textOrNull(row, 'status_reason'),
    attempt: int(row, 'attempt'),
    maxAttempts: int(row, 'max_attempts'),
    late: bool(row, 'late'),
    scheduledFor: date(row, 'scheduled_for'),
    createdAt: date(row, 'created_at'),
    startedAt: dateOrNull(row, 'started_at'),
    finishedAt: dateOrNull(row, 'finished_at'),
    heartbeatAt: dateOrNull(row, 'heartbeat_at'),
    workerId: textOrNull(row, 'worker_id'),
    errorMessage: textOrNull(row, 'error_message'),
    errorStack: textOrNull(row, 'error_stack'),
    output: row.output === null ? null : json(row, 'output'),
    progressDone: intOrNull(row, 'progress_done'),
    progressTotal: intOrNull(row, 'progress_total'),
    childrenTotal: int(row, 'children_total'),
    childrenSucceeded: int(row, 'children_succeeded'),
    childrenFailed: int(row, 'children_failed'),
    logSequence: int(row, 'log_sequence'),
  };
}

/** A `users` row (all columns) as Prisma's User. */
export function userFromRow(row: SqlRow): User {
  return {
    id: text(row, 'id'),
    email: text(row, 'email'),
    name: text(row, 'name'),
    attributes: json(row, 'attributes'),
    passwordHash: textOrNull(row, 'password_hash'),
    active: bool(row, 'active'),
    lastSignInAt: dateOrNull(row, 'last_sign_in_at'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}

/** A `roles` row as Prisma's Role; `permissions` must be read as `permissions::text[]` (pg leaves enum arrays as text). */
export function roleFromRow(row: SqlRow): Role {
  const permissions = row.permissions;
  if (!Array.isArray(permissions)) throw new RowShapeError('permissions', 'an array', permissions);
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    description: text(row, 'description'),
    permissions: permissions.map((value: unknown) => permission({ permissions: value }, 'permissions')),
    builtIn: bool(row, 'built_in'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}
