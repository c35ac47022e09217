// The one template function every built-in action fills its messages with: the placeholders it knows, the errors
// it gives (naming the placeholder and what is allowed), and the older single-brace form an action may opt into.
import { describe, expect, it } from 'vitest';
import {
  parseTemplate,
  renderTemplate,
  runTemplateFields,
  templateString,
  TemplateError,
  userTemplateValues,
  type TemplateValues,
} from '../src/index.js';
import { testUser } from '../src/testing.js';

const ada = testUser({ id: 'u-ada', name: 'Ada Lovelace', email: 'ada@example.test', attributes: { locale: 'en-GB', chat: { id: 7 } } });
const values: TemplateValues = userTemplateValues(ada, { 'run.trigger': 'SCHEDULE', 'run.attempt': '2' });
const fill = (template: string, options?: Parameters<typeof parseTemplate>[1]) => renderTemplate(parseTemplate(template, options), values);

describe('parseTemplate and renderTemplate', () => {
  it('fills the user, attribute and run placeholders, spaces inside the braces allowed', () => {
    expect(fill('Hi {{firstName}} ({{ name }}) <{{email}}> {{id}}, {{attributes.locale}} {{attributes.chat}}, {{run.trigger}} #{{run.attempt}}')).toEqual({
      text: 'Hi Ada (Ada Lovelace) <ada@example.test> u-ada, en-GB {"id":7}, SCHEDULE #2',
      missing: [],
    });
  });

  it('renders a missing attribute empty and reports it', () => {
    expect(fill('[{{attributes.timezone}}]')).toEqual({ text: '[]', missing: ['timezone'] });
  });

  it('leaves text as it is: no escaping, single braces are text', () => {
    expect(renderTemplate(parseTemplate('{{name}} & {x} {firstName}'), { fields: { name: 'A & <B>' }, attributes: {} }).text).toBe('A & <B> & {x} {firstName}');
  });

  it('names an unknown placeholder and lists the allowed ones', () => {
    expect(() => parseTemplate('Hi {{nmae}}')).toThrow(TemplateError);
    expect(() => parseTemplate('Hi {{user.name}}')).toThrow(/^\{\{user\.name\}\} is not a placeholder; use one of \{\{id\}\}, \{\{name\}\}, \{\{firstName\}\}.* or \{\{attributes\.NAME\}\}$/);
  });

  it('refuses unbalanced braces', () => {
    expect(() => parseTemplate('Hi {{name')).toThrow('has a "{{" without a matching "}}"');
    expect(() => parseTemplate('Hi name}} {{email}}')).toThrow('has a "}}" without a matching "{{"');
  });

  it('reads the single-brace fields an action opts into, and nothing else in single braces', () => {
    const options = { singleBraceFields: ['name', 'firstName', 'email'] as const };
    expect(fill('Hi {firstName} ({name}), {unknown} {id} {{email}}', options).text).toBe('Hi Ada (Ada Lovelace), {unknown} {id} ada@example.test');
    expect(fill('{{firstName}}{firstName}', options).text).toBe('AdaAda');
  });
});

describe('runTemplateFields', () => {
  it('gives the run’s fields as text', () => {
    const scheduledFor = new Date('2026-12-09T08:00:00Z');
    const since = new Date('2026-12-08T08:00:00Z');
    const fields = runTemplateFields({ run: { id: 'r1', jobId: 'j1', parentRunId: null, attempt: 1, trigger: 'API', scheduledFor }, since });
    expect(fields).toMatchObject({ 'run.id': 'r1', 'run.jobId': 'j1', 'run.trigger': 'API', 'run.attempt': '1', 'run.scheduledFor': '2026-12-09T08:00:00.000Z', 'run.since': '2026-12-08T08:00:00.000Z' });
    expect(runTemplateFields({ run: { id: 'r1', jobId: 'j1', parentRunId: null, attempt: 1, trigger: 'API', scheduledFor }, since: null })['run.since']).toBe('');
  });
});

describe('templateString', () => {
  it('checks the placeholders as a schema check, with the problem as the message', () => {
    const result = templateString().safeParse('Hi {{nmae}}');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^\{\{nmae\}\} is not a placeholder/);
    expect(templateString().min(1).safeParse('Hi {{name}}').success).toBe(true);
  });
});
