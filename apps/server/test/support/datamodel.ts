// The datamodel schema.prisma declares, as Prisma's DMMF (written by prisma/generators/datamodel.cjs on
// `prisma generate`). Schema tests read it at test time, so they need no list of tables or columns of their own.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATAMODEL_FILE = fileURLToPath(new URL('../../src/db/generated/datamodel.json', import.meta.url));

export type FieldDefault =
  | string
  | number
  | boolean
  | null
  | FieldDefault[]
  | { name: string; args: (string | number)[] };

export interface DatamodelField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: FieldDefault;
  /** [name, args], e.g. ['Timestamptz', ['3']], or null for the type's default mapping. */
  nativeType: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DatamodelModel {
  name: string;
  dbName: string | null;
  fields: DatamodelField[];
}

export interface DatamodelEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface DatamodelIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

export interface Datamodel {
  models: DatamodelModel[];
  enums: DatamodelEnum[];
  indexes: DatamodelIndex[];
}

export function readDatamodel(): Datamodel {
  if (!fs.existsSync(DATAMODEL_FILE)) {
    throw new Error(`${DATAMODEL_FILE} is missing: run \`node scripts/prepare.mjs --no-web\` to generate it`);
  }
  return JSON.parse(fs.readFileSync(DATAMODEL_FILE, 'utf8')) as Datamodel;
}

export const tableOf = (model: DatamodelModel): string => model.dbName ?? model.name;
export const columnOf = (field: DatamodelField): string => field.dbName ?? field.name;
export const enumTypeOf = (enumType: DatamodelEnum): string => enumType.dbName ?? enumType.name;

export function fieldOf(model: DatamodelModel, name: string): DatamodelField {
  const field = model.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`model ${model.name} has no field ${name}`);
  return field;
}
