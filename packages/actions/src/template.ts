// Message templates for actions: plain text with {{placeholders}}, nothing else — no logic, no partials, no HTML
// escaping (messages are text; an inbox, a chat or a webhook receives them as they are). Every action that fills
// text for a user (notify.users, examples.reminder, yours) uses this one syntax and this one function.
//
// What a placeholder may name is fixed, so a typo ({{nmae}}) is an error when the job is saved, not an empty
// hole in a message sent at 3 a.m. Only attribute names cannot be checked then (attributes are free-form per
// user): a missing one renders empty and the action can log a warning naming the user and the attribute.
import { z } from 'zod';
import type { ActionContext, ActionUser } from './context.js';

/** Placeholders about the target user and the run, besides `attributes.<name>`. */
export const TEMPLATE_FIELDS = {
  id: "the user's id",
  name: "the user's name",
  firstName: "the first word of the user's name",
  email: "the user's e-mail",
  'run.id': "the run's id",
  'run.jobId': "the job's id",
  'run.trigger': 'SCHEDULE, MANUAL, API, RETRY or WEBHOOK',
  'run.attempt': '1 for the first try, 2 and up for retries',
  'run.scheduledFor': 'when the run was due (ISO 8601, UTC)',
  'run.since': "start of the job's last succeeded run (ISO 8601), empty the first time",
  now: 'when the message is rendered (ISO 8601, UTC)',
} as const;

export type TemplateField = keyof typeof TEMPLATE_FIELDS;

export type TemplatePart = { text: string } | { field: TemplateField } | { attribute: string };

export interface ParseTemplateOptions {
  /**
   * Fields also accepted in single braces (`{firstName}`), for an action whose stored jobs were written in that
   * older form: they mean the same as `{{firstName}}`. Any other `{word}` stays text, as it always did.
   */
  singleBraceFields?: readonly TemplateField[];
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ATTRIBUTE = /^attributes\.([A-Za-z_][A-Za-z0-9_-]*)$/;
/** `{word}` with no brace on either side (so `{{word}}` is never read as one). */
const SINGLE_BRACE = /(?<!\{)\{(\w+)\}(?!\})/g;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Splits a template into text and placeholders; throws TemplateError saying what is wrong and what is allowed. */
export function parseTemplate(template: string, options: ParseTemplateOptions = {}): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const pushText = (text: string) => {
    checkText(text);
    parts.push(...singleBraceParts(text, options.singleBraceFields ?? []));
  };
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    pushText(template.slice(last, match.index));
    const name = match[1] ?? '';
    const attribute = ATTRIBUTE.exec(name);
    if (attribute) parts.push({ attribute: attribute[1]! });
    else if (Object.hasOwn(TEMPLATE_FIELDS, name)) parts.push({ field: name as TemplateField });
    else throw new TemplateError(`{{${name}}} is not a placeholder; use one of ${allowedList()}`);
    last = match.index + match[0].length;
  }
  pushText(template.slice(last));
  return parts;
}

function checkText(text: string): void {
  if (text.includes('{{')) throw new TemplateError('has a "{{" without a matching "}}"');
  if (text.includes('}}')) throw new TemplateError('has a "}}" without a matching "{{"');
}

/** Text between double-brace placeholders: the single-brace fields it names, the rest as text. */
function singleBraceParts(text: string, fields: readonly TemplateField[]): TemplatePart[] {
  if (!text) return [];
  if (fields.length === 0) return [{ text }];
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(SINGLE_BRACE)) {
    const name = match[1] as TemplateField;
    if (!fields.includes(name)) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ field: name });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

function allowedList(): string {
  return `${Object.keys(TEMPLATE_FIELDS).map((field) => `{{${field}}}`).join(', ')} or {{attributes.NAME}}`;
}

/** The placeholders, for an argument's description (the job form shows it as the field's help). */
export const TEMPLATE_PLACEHOLDERS_HELP = `Placeholders: ${Object.keys(TEMPLATE_FIELDS)
  .map((field) => `{{${field}}}`)
  .join(', ')}, {{attributes.NAME}}.`;

/**
 * A text argument holding a template: a string whose placeholders are checked when the job is saved, so a typo is
 * an error naming this argument. Add length limits and `.describe()` as for any string.
 */
export function templateString(options: ParseTemplateOptions = {}) {
  return z.string().superRefine((value, context) => {
    try {
      parseTemplate(value, options);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });
}

export interface TemplateValues {
  fields: Partial<Record<TemplateField, string>>;
  attributes: Readonly<Record<string, unknown>>;
}

/** The text, and the attributes that were missing (rendered empty). */
export function renderTemplate(parts: readonly TemplatePart[], values: TemplateValues): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = parts
    .map((part) => {
      if ('text' in part) return part.text;
      if ('field' in part) return values.fields[part.field] ?? '';
      const value = Object.hasOwn(values.attributes, part.attribute) ? values.attributes[part.attribute] : undefined;
      if (value === undefined || value === null) {
        missing.push(part.attribute);
        return '';
      }
      return typeof value === 'string' ? value : JSON.stringify(value);
    })
    .join('');
  return { text, missing };
}

/** The values about the run, computed once per run (`now` is when this is called). */
export function runTemplateFields(context: Pick<ActionContext, 'run' | 'since'>): Partial<Record<TemplateField, string>> {
  return {
    'run.id': context.run.id,
    'run.jobId': context.run.jobId,
    'run.trigger': context.run.trigger,
    'run.attempt': String(context.run.attempt),
    'run.scheduledFor': context.run.scheduledFor.toISOString(),
    'run.since': context.since?.toISOString() ?? '',
    now: new Date().toISOString(),
  };
}

/** One user's values, with the run's fields computed by runTemplateFields. */
export function userTemplateValues(user: ActionUser, runFields: Partial<Record<TemplateField, string>>): TemplateValues {
  return {
    fields: { ...runFields, id: user.id, name: user.name, firstName: user.name.split(/\s+/)[0] ?? user.name, email: user.email },
    attributes: user.attributes,
  };
}
