// `sundial client-types` and what it is for: the declaration of the shipped actions committed beside the client's
// type checks is what the command writes today, and with it dispatch accepts each action's args and refuses wrong
// ones (packages/client/test/types/usage.ts, compiled here as its own program).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { clientTypes } from '../../src/cli/client-types.js';
import { loadConfig } from '../../src/config/load.js';
import { REPO } from '../support/guide-blocks.js';

const TYPES = path.join(REPO, 'packages/client/test/types');

describe('sundial client-types', () => {
  it('declares every action the install loads, with its args', async () => {
    const { text, actions } = await clientTypes(loadConfig({ env: {}, cwd: REPO }));
    expect(actions).toEqual(['examples.import-records', 'examples.noop', 'examples.recommend', 'examples.reminder', 'http.request', 'notify.users', 'sundial.cleanup']);
    expect(text).toContain('"examples.reminder": ExamplesReminder.Args;');
    expect(
      fs.readFileSync(path.join(TYPES, 'sundial-actions.d.ts'), 'utf8'),
      'packages/client/test/types/sundial-actions.d.ts is stale: run `npm run sundial -- client-types --out packages/client/test/types/sundial-actions.d.ts`',
    ).toBe(text);
  });

  it('makes dispatch check args per action (the type checks compile, each expected error is met)', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(TYPES, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    expect(parsed?.errors ?? ['no tsconfig']).toEqual([]);
    const program = ts.createProgram(parsed!.fileNames, parsed!.options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => `${diagnostic.file ? path.relative(REPO, diagnostic.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 60_000);
});
