// sundial.yaml's `definitions` section: inline lists from the file, JSON arrays from the environment, a file path
// relative to the start folder, and a clear refusal of both at once or of an unreadable variable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-definitions-config-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const load = (yaml: string, env: Record<string, string> = {}) => {
  fs.writeFileSync(path.join(dir, 'sundial.yaml'), yaml);
  return loadConfig({ env, cwd: dir });
};
const refusal = (yaml: string, env: Record<string, string> = {}) => {
  try {
    load(yaml, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig did not refuse');
};

describe('definitions in the configuration', () => {
  it('reads inline lists and defaults to none', () => {
    expect(load('').definitions).toEqual({ file: '', prune: false, calendars: [], roles: [], users: [], jobs: [] });
    const config = load('definitions:\n  jobs:\n    - key: a\n      name: A\n      action: examples.noop\n');
    expect(config.definitions.jobs).toEqual([{ key: 'a', name: 'A', action: 'examples.noop' }]);
  });

  it('reads a JSON array from the environment, and says so when it is not one', () => {
    const config = load('', { SUNDIAL_DEFINITIONS__JOBS: '[{"key": "b", "name": "B", "action": "examples.noop"}]', SUNDIAL_DEFINITIONS__PRUNE: 'yes' });
    expect(config.definitions).toMatchObject({ prune: true, jobs: [{ key: 'b' }] });
    expect(refusal('', { SUNDIAL_DEFINITIONS__JOBS: '[{"key": ' })).toMatch(
      /^definitions\.jobs = .* \(from SUNDIAL_DEFINITIONS__JOBS\): must be a JSON array of jobs \(in sundial\.yaml: a YAML list\)$/,
    );
  });

  it('resolves definitions.file from the start folder, and refuses a file together with inline lists', () => {
    expect(load('definitions:\n  file: ./jobs.yaml\n').definitions.file).toBe(path.join(dir, 'jobs.yaml'));
    expect(refusal('definitions:\n  file: ./jobs.yaml\n  jobs:\n    - key: a\n')).toMatch(
      /give either definitions\.file or calendars\/roles\/users\/jobs under definitions, not both/,
    );
  });
});
