import { describe, expect, it } from 'vitest';
import { actionArgsJsonSchema, defineAction, formatArgErrors, validateActionArgs, z } from '../src/index.js';

const reminder = defineAction({
  name: 'reminders.send',
  description: 'Sends a reminder.',
  args: z.object({
    message: z.string().min(1),
    channel: z.enum(['email', 'chat']).default('email'),
    quiet: z
      .strictObject({ from: z.string().regex(/^\d\d:\d\d$/), to: z.string().regex(/^\d\d:\d\d$/) })
      .optional(),
    tags: z.array(z.strictObject({ name: z.string() })).default([]),
  }),
  run: ({ args }) => args.message,
});

describe('actionArgsJsonSchema', () => {
  it('describes the input side: fields with defaults are optional, unknown keys not allowed', () => {
    expect(actionArgsJsonSchema(reminder)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        message: { type: 'string', minLength: 1 },
        channel: { type: 'string', enum: ['email', 'chat'], default: 'email' },
        quiet: {
          type: 'object',
          properties: {
            from: { type: 'string', pattern: '^\\d\\d:\\d\\d$' },
            to: { type: 'string', pattern: '^\\d\\d:\\d\\d$' },
          },
          required: ['from', 'to'],
          additionalProperties: false,
        },
        tags: {
          type: 'array',
          default: [],
          items: {
            type: 'object',
            properties: { name: { type: 'string' } },
            required: ['name'],
            additionalProperties: false,
          },
        },
      },
      required: ['message'],
      additionalProperties: false,
    });
  });

  it('says additionalProperties: false even when the author wrote a plain z.object', () => {
    const loose = defineAction({ name: 'loose', description: 'd', args: z.looseObject({ a: z.string() }), run: () => 0 });
    expect(actionArgsJsonSchema(loose)).toMatchObject({ additionalProperties: false, required: ['a'] });
  });

  it('hands out a copy, so a caller cannot change the action', () => {
    const schema = actionArgsJsonSchema(reminder);
    (schema.properties as Record<string, unknown>).message = 'changed';
    expect(actionArgsJsonSchema(reminder).properties).toHaveProperty('message.type', 'string');
  });
});

describe('validateActionArgs', () => {
  it('returns the parsed args with defaults applied', () => {
    expect(validateActionArgs(reminder, { message: 'hi' })).toEqual({
      ok: true,
      args: { message: 'hi', channel: 'email', tags: [] },
    });
  });

  it('names a missing required field', () => {
    expect(validateActionArgs(reminder, {})).toEqual({ ok: false, errors: [{ field: 'message', message: 'is required' }] });
  });

  it('reads undefined as no args', () => {
    const noArgs = defineAction({ name: 'noop', description: 'd', run: () => null });
    expect(validateActionArgs(noArgs, undefined)).toEqual({ ok: true, args: {} });
    expect(validateActionArgs(reminder, undefined)).toEqual({
      ok: false,
      errors: [{ field: 'message', message: 'is required' }],
    });
  });

  it('rejects unknown keys one by one, even when the author wrote a plain (stripping) z.object', () => {
    expect(validateActionArgs(reminder, { message: 'hi', chanel: 'chat', extra: 1 })).toEqual({
      ok: false,
      errors: [
        { field: 'chanel', message: 'is not a known argument' },
        { field: 'extra', message: 'is not a known argument' },
      ],
    });
  });

  it('gives nested paths for nested problems', () => {
    const result = validateActionArgs(reminder, {
      message: 'hi',
      quiet: { from: '22:00', until: '07:00' },
      tags: [{ name: 'a' }, { name: 3 }],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'quiet.to', message: 'is required' },
        { field: 'quiet.until', message: 'is not a known argument' },
        { field: 'tags.1.name', message: 'must be a string; got 3' },
      ],
    });
    expect(result.ok ? '' : formatArgErrors(result.errors)).toBe(
      'quiet.to: is required; quiet.until: is not a known argument; tags.1.name: must be a string; got 3',
    );
  });

  it('keeps the messages the author wrote in the schema', () => {
    const custom = defineAction({
      name: 'custom',
      description: 'd',
      args: z.object({ chatId: z.string({ error: 'set the user attribute chatId first' }) }),
      run: () => null,
    });
    expect(validateActionArgs(custom, {})).toEqual({
      ok: false,
      errors: [{ field: 'chatId', message: 'set the user attribute chatId first' }],
    });
  });

  it('rejects args that are not an object, as a whole', () => {
    for (const args of [null, [], 'message', 3]) {
      expect(validateActionArgs(reminder, args)).toEqual({
        ok: false,
        errors: [{ field: '', message: 'args must be a JSON object' }],
      });
    }
  });

  it('reports a wrong value with the allowed values, what was given and the field', () => {
    expect(validateActionArgs(reminder, { message: 'hi', channel: 'sms' })).toEqual({
      ok: false,
      errors: [{ field: 'channel', message: 'must be one of "email", "chat"; got "sms"' }],
    });
  });
});
