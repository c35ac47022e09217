// The message templates of notify.users: plain text with {{placeholders}}, nothing else — no logic, no partials,
// no HTML escaping (messages are text; the inbox and webhooks receive them as they are).
//
// What a placeholder may name is fixed, so a typo ({{nmae}}) is an error when the job is saved, not an empty
// hole in a message sent at 3 a.m. Only attribute names cannot be checked then (attributes are free-form per
// user): a missing one renders empty and the run logs a warning naming the user and the attribute.

/** Placeholders about the target user and the run, besides `attributes.<name>`. */
export const TEMPLATE_FIELDS = {
  id: "the user's id",
  name: "the user's name",
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

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ATTRIBUTE = /^attributes\.([A-Za-z_][A-Za-z0-9_-]*)$/;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Splits a template into text and placeholders; throws TemplateError saying what is wrong and what is allowed. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const before = template.slice(last, match.index);
    checkText(before);
    if (before) parts.push({ text: before });
    const name = match[1] ?? '';
    const attribute = ATTRIBUTE.exec(name);
    if (attribute) parts.push({ attribute: attribute[1]! });
    else if (Object.hasOwn(TEMPLATE_FIELDS, name)) parts.push({ field: name as TemplateField });
    else throw new TemplateError(`{{${name}}} is not a placeholder; use one of ${allowedList()}`);
    last = match.index + match[0].length;
  }
  const rest = template.slice(last);
  checkText(rest);
  if (rest) parts.push({ text: rest });
  return parts;
}

function checkText(text: string): void {
  if (text.includes('{{')) throw new TemplateError('has a "{{" without a matching "}}"');
  if (text.includes('}}')) throw new TemplateError('has a "}}" without a matching "{{"');
}

function allowedList(): string {
  return `${Object.keys(TEMPLATE_FIELDS).map((field) => `{{${field}}}`).join(', ')} or {{attributes.NAME}}`;
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
