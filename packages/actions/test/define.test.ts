import { describe, expect, expectTypeOf, it } from 'vitest';
import { ActionDefinitionError, defineAction, isAction, z, type ActionDefinition } from '../src/index.js';

const run = () => null;

function problemsOf(spec: unknown): string[] {
  try {
    defineAction(spec as Parameters<typeof defineAction>[0]);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionDefinitionError);
    return (error as ActionDefinitionError).problems;
  }
  throw new Error('expected defineAction to throw');
}

describe('defineAction', () => {
  it('returns a frozen, branded definition with typed args', () => {
    const action = defineAction({
      name: 'reminders.send',
      description: '  Sends a reminder.  ',
      args: z.object({ message: z.string(), times: z.number().default(1) }),
      defaults: { retries: 2, timeoutMs: 5000 },
      run: ({ args }) => {
        expectTypeOf(args).toEqualTypeOf<{ message: string; times: number }>();
        return args.message.repeat(args.times);
      },
    });
    expect(action.name).toBe('reminders.send');
    expect(action.description).toBe('Sends a reminder.');
    expect(action.defaults).toEqual({ retries: 2, timeoutMs: 5000 });
    expect(Object.isFrozen(action)).toBe(true);
    expect(isAction(action)).toBe(true);
    // Usable wherever any action is expected (the registry, the engine).
    const any: ActionDefinition = action;
    expect(any.name).toBe('reminders.send');
  });

  it('gives an action without args an empty strict schema', () => {
    const action = defineAction({ name: 'noop', description: 'Nothing.', run });
    expect(action.args.safeParse({}).success).toBe(true);
    expect(action.args.safeParse({ x: 1 }).success).toBe(false);
  });

  it('accepts dotted lowercase names with - and _ inside segments', () => {
    for (const name of ['noop', 'reminders.send', 'examples.import-records', 'a1.b_2.c-3']) {
      expect(defineAction({ name, description: 'd', run }).name).toBe(name);
    }
  });

  it.each([
    ['Reminders.send'],
    ['reminders..send'],
    ['.reminders'],
    ['reminders.'],
    ['1reminders'],
    ['reminders.send-'],
    ['remind ers'],
    ['a'.repeat(101)],
  ])('rejects the name %j', (name) => {
    expect(problemsOf({ name, description: 'd', run })[0]).toMatch(/must be a dotted lowercase identifier/);
  });

  it('reports every problem at once, naming the action', () => {
    let caught: unknown;
    try {
      defineAction({
        name: 'bad.action',
        description: ' ',
        args: { message: z.string() } as unknown as z.ZodObject,
        defaults: { retries: -1, concurrency: 0, timeoutMs: 1.5, bogus: 1 } as unknown as object,
        run: 'no' as unknown as typeof run,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ActionDefinitionError);
    const error = caught as ActionDefinitionError;
    expect(error.action).toBe('bad.action');
    expect(error.message).toMatch(/^invalid action "bad.action": /);
    expect(error.problems).toEqual([
      'description must be a non-empty string',
      'args must be a zod object schema, e.g. z.object({ message: z.string() })',
      'defaults.retries must be a whole number from 0 to 100; got -1',
      'defaults.concurrency must be a whole number from 1 to 1000; got 0',
      'defaults.timeoutMs must be a whole number from 1 to 2147483647; got 1.5',
      'defaults.bogus is not a setting (allowed: timeoutMs, retries, retryBackoffMs, concurrency)',
      'run must be a function (context) => output',
    ]);
  });

  it('accepts the edges of the default ranges', () => {
    const action = defineAction({
      name: 'edges',
      description: 'd',
      defaults: { timeoutMs: 1, retries: 100, retryBackoffMs: 0, concurrency: 1000 },
      run,
    });
    expect(action.defaults).toEqual({ timeoutMs: 1, retries: 100, retryBackoffMs: 0, concurrency: 1000 });
  });

  it('rejects args that JSON cannot carry, saying what to use instead', () => {
    const problems = problemsOf({ name: 'dated', description: 'd', args: z.object({ at: z.date() }), run });
    expect(problems[0]).toMatch(/^args cannot be described as JSON Schema \(Date cannot be represented/);
    expect(problems[0]).toMatch(/z\.iso\.datetime\(\)/);
  });

  it('says when it was not given an object at all', () => {
    expect(problemsOf(undefined)).toEqual(['defineAction needs an object { name, description, args, defaults, run }']);
  });

  it('does not take loose look-alikes for actions', () => {
    expect(isAction({ name: 'x', description: 'd', args: z.object({}), defaults: {}, run })).toBe(false);
    expect(isAction(null)).toBe(false);
    expect(isAction('noop')).toBe(false);
    // Spreading a definition drops the brand: a copy is not an action.
    expect(isAction({ ...defineAction({ name: 'x', description: 'd', run }) })).toBe(false);
  });
});
