// The part of JSON Schema that action args use (what zod's toJSONSchema produces for an object of scalars,
// enums and simple arrays), read defensively: the server sends `unknown`, nothing is assumed unchecked.

export interface ArgField {
  name: string;
  kind: 'string' | 'datetime' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';
  /** What the form calls it: the schema's title, else the key in words (`logLines` → "Log lines"). */
  label: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  options?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of an object schema, or null when the schema is not one this form can draw (use raw JSON). */
export function argFields(schema: unknown): ArgField[] | null {
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = isObject(raw) ? raw : {};
    const base = {
      name,
      label: typeof property.title === 'string' && property.title.trim() ? property.title.trim() : humanize(name),
      required: required.has(name) && !('default' in property),
      description: typeof property.description === 'string' ? property.description : undefined,
      defaultValue: property.default,
      minimum: typeof property.minimum === 'number' ? property.minimum : undefined,
      maximum: typeof property.maximum === 'number' ? property.maximum : undefined,
      minLength: typeof property.minLength === 'number' ? property.minLength : undefined,
      maxLength: typeof property.maxLength === 'number' ? property.maxLength : undefined,
    };
    if (Array.isArray(property.enum) && property.enum.every((v) => typeof v === 'string')) {
      return { ...base, kind: 'enum', options: property.enum };
    }
    if (property.type === 'string' && property.format === 'date-time') return { ...base, kind: 'datetime' };
    if (property.type === 'string' || property.type === 'number' || property.type === 'integer' || property.type === 'boolean') {
      return { ...base, kind: property.type };
    }
    return { ...base, kind: 'json' };
  });
}

/** Problems with `args` against the fields, as the form shows them while typing (the server has the last word). */
export function argProblems(fields: ArgField[], args: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const value = args[field.name];
    if (value === undefined || value === '') {
      if (field.required) problems[field.name] = 'is required';
      continue;
    }
    if (field.kind === 'string' && typeof value === 'string') {
      if (field.minLength !== undefined && value.trim().length < field.minLength) problems[field.name] = `must be at least ${field.minLength} character${field.minLength === 1 ? '' : 's'}`;
      if (field.maxLength !== undefined && value.length > field.maxLength) problems[field.name] = `must be at most ${field.maxLength} characters`;
    }
    if ((field.kind === 'number' || field.kind === 'integer') && typeof value === 'number') {
      if (field.kind === 'integer' && !Number.isInteger(value)) problems[field.name] = 'must be a whole number';
      if (field.minimum !== undefined && value < field.minimum) problems[field.name] = `must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) problems[field.name] = `must be at most ${field.maximum}`;
    }
  }
  return problems;
}

/** `logLines` / `log_lines` → "Log lines". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Sentences joined without doubled punctuation: ["Who gets it.", "Default: 3"] → "Who gets it. Default: 3." */
export function joinSentences(parts: readonly (string | null | undefined)[]): string {
  return parts
    .map((part) => part?.trim())
    .filter((part): part is string => Boolean(part))
    .map((part) => (/[.!?…:]$/.test(part) ? part : `${part}.`))
    .join(' ');
}

/** The problems as a list of field errors (`args.<name>`), for the form's submit. */
export function argProblemList(schema: unknown, args: Record<string, unknown>): { field: string; message: string }[] {
  const fields = argFields(schema);
  if (!fields) return [];
  return Object.entries(argProblems(fields, args)).map(([name, message]) => ({ field: `args.${name}`, message }));
}
