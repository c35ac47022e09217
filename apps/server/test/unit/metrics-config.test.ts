// The metrics settings: defaults keep /metrics off every public port, and bad values stop the start naming the key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-metrics-config-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function failure(env: Record<string, string>): string {
  try {
    loadConfig({ env, cwd: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted a configuration it should refuse');
}

describe('metrics configuration', () => {
  it('serves metrics nowhere by default', () => {
    expect(loadConfig({ env: {}, cwd: dir }).metrics).toEqual({ port: 0, host: '127.0.0.1', token: '' });
  });

  it('takes a port, a host and a token from the environment', () => {
    const config = loadConfig({
      env: { SUNDIAL_METRICS__PORT: '9464', SUNDIAL_METRICS__HOST: '0.0.0.0', SUNDIAL_METRICS__TOKEN: 'a-token-of-24-characters' },
      cwd: dir,
    });
    expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0', token: 'a-token-of-24-characters' });
  });

  it('refuses a short token, naming the key and what is allowed', () => {
    const message = failure({ SUNDIAL_METRICS__TOKEN: 'short-secret' });
    expect(message).toContain('metrics.token');
    expect(message).not.toContain('short-secret');
    expect(message).toContain('at least 16 characters');
  });

  it('refuses a port out of range', () => {
    const message = failure({ SUNDIAL_METRICS__PORT: '70000' });
    expect(message).toContain('metrics.port');
    expect(message).toContain('from 0 to 65535');
  });
});
