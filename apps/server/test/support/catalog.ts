// Reads what a database really has — tables, columns, indexes, foreign keys, enums, checks, triggers — from
// PostgreSQL's own catalogs, in the current schema. Schema tests compare these against what should be there.
import type pg from 'pg';

export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface CatalogColumn {
  table: string;
  name: string;
  /** information_schema's data_type: text, integer, timestamp with time zone, USER-DEFINED, ARRAY, … */
  dataType: string;
  /** The underlying type's name: int4, uuid, the enum's name, _Permission for an array of it, … */
  udtName: string;
  nullable: boolean;
  /** The default expression as PostgreSQL prints it, or null. */
  default: string | null;
  datetimePrecision: number | null;
  characterMaximumLength: number | null;
}

export interface CatalogIndex {
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  columns: string[];
  /** Per column, whether it is sorted descending. */
  descending: boolean[];
  /** The WHERE of a partial index, or null. */
  predicate: string | null;
}

export type ReferentialAction = 'NoAction' | 'Restrict' | 'Cascade' | 'SetNull' | 'SetDefault';

export interface CatalogForeignKey {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

const ACTIONS: Record<string, ReferentialAction> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

export async function readTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((row) => row.name);
}

export async function readColumns(db: Queryable, table: string): Promise<CatalogColumn[]> {
  const { rows } = await db.query<{
    name: string;
    data_type: string;
    udt_name: string;
    is_nullable: 'YES' | 'NO';
    column_default: string | null;
    datetime_precision: number | null;
    character_maximum_length: number | null;
  }>(
    `SELECT column_name AS name, data_type, udt_name, is_nullable, column_default, datetime_precision,
            character_maximum_length
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => ({
    table,
    name: row.name,
    dataType: row.data_type,
    udtName: row.udt_name,
    nullable: row.is_nullable === 'YES',
    default: row.column_default,
    datetimePrecision: row.datetime_precision,
    characterMaximumLength: row.character_maximum_length,
  }));
}

export async function readIndexes(db: Queryable, table: string): Promise<CatalogIndex[]> {
  const { rows } = await db.query<{
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
    options: number[];
    predicate: string | null;
  }>(
    `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
            array(SELECT a.attname::text
                  FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                  ORDER BY k.ord) AS columns,
            ix.indoption::int2[] AS options,
            pg_get_expr(ix.indpred, ix.indrelid) AS predicate
     FROM pg_index ix
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_class i ON i.oid = ix.indexrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = $1
     ORDER BY i.relname`,
    [table],
  );
  return rows.map((row) => ({
    table,
    name: row.name,
    unique: row.unique,
    primary: row.primary,
    columns: row.columns,
    // Bit 0 of indoption is INDOPTION_DESC.
    descending: row.options.map((option) => (option & 1) === 1),
    predicate: row.predicate,
  }));
}

export async function readForeignKeys(db: Queryable, table: string): Promise<CatalogForeignKey[]> {
  const { rows } = await db.query<{
    name: string;
    columns: string[];
    referenced_table: string;
    referenced_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT c.conname AS name,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            r.relname AS referenced_table,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
              AS referenced_columns,
            c.confdeltype AS on_delete, c.confupdtype AS on_update
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class r ON r.oid = c.confrelid
     WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = $1
     ORDER BY c.conname`,
    [table],
  );
  return rows.map((row) => ({
    table,
    name: row.name,
    columns: row.columns,
    referencedTable: row.referenced_table,
    referencedColumns: row.referenced_columns,
    onDelete: ACTIONS[row.on_delete]!,
    onUpdate: ACTIONS[row.on_update]!,
  }));
}

/** Enum types of the current schema and their values in declaration order. */
export async function readEnums(db: Queryable): Promise<Record<string, string[]>> {
  const { rows } = await db.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE t.typnamespace = current_schema()::regnamespace
     GROUP BY t.typname ORDER BY t.typname`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.values]));
}

/** CHECK constraints of a table as PostgreSQL prints them. */
export async function readChecks(db: Queryable, table: string): Promise<string[]> {
  const { rows } = await db.query<{ definition: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace AND t.relname = $1
     ORDER BY 1`,
    [table],
  );
  return rows.map((row) => row.definition);
}

export interface CatalogTrigger {
  name: string;
  /** The CREATE TRIGGER statement PostgreSQL would print. */
  definition: string;
  /** The body of the function it executes. */
  functionBody: string;
}

export async function readTriggers(db: Queryable, table: string): Promise<CatalogTrigger[]> {
  const { rows } = await db.query<{ name: string; definition: string; function_body: string }>(
    `SELECT tg.tgname AS name, pg_get_triggerdef(tg.oid) AS definition, p.prosrc AS function_body
     FROM pg_trigger tg
     JOIN pg_class t ON t.oid = tg.tgrelid
     JOIN pg_proc p ON p.oid = tg.tgfoid
     WHERE NOT tg.tgisinternal AND t.relnamespace = current_schema()::regnamespace AND t.relname = $1
     ORDER BY tg.tgname`,
    [table],
  );
  return rows.map((row) => ({ name: row.name, definition: row.definition, functionBody: row.function_body }));
}

/** Everything above for every table, plus the enums: equal snapshots mean an unchanged schema. */
export async function readSchema(db: Queryable) {
  const tables = await readTables(db);
  const perTable = await Promise.all(
    tables.map(async (table) => ({
      table,
      columns: await readColumns(db, table),
      indexes: await readIndexes(db, table),
      foreignKeys: await readForeignKeys(db, table),
      checks: await readChecks(db, table),
      triggers: await readTriggers(db, table),
    })),
  );
  return { tables: perTable, enums: await readEnums(db) };
}
