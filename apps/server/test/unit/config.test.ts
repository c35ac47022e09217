// loadConfig is the only reader of sundial.yaml and the environment. These tests give it a real folder with a real
// file and an env object of their own, and read what it returns or the message it stops with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-config-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function load(env: Record<string, string> = {}) {
  return loadConfig({ env, cwd: dir });
}

/** The message loadConfig stops with; fails the test when it does not stop or stops with another error. */
function failure(env: Record<string, string> = {}): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted a configuration it should refuse');
}

describe('loadConfig defaults', () => {
  it('needs no file and no environment', () => {
    const config = load();
    expect(config.server).toMatchObject({ port: 4000, host: '127.0.0.1', shutdown_grace_seconds: 30 });
    expect(config.database).toMatchObject({ url: '', data_dir: path.join(dir, 'data'), pool_size: 10 });
    expect(config.jobs).toMatchObject({ enabled: true, concurrency: 20 });
    expect(config.scheduler).toMatchObject({ url: '', process_every_ms: 1000 });
    expect(config.actions).toMatchObject({ dir: path.join(dir, 'actions'), packages: ['@sundial/builtin-actions'] });
    expect(config.builtin).toEqual({
      http: { allow_hosts: [], allow_private: false, secret_env_prefix: 'SUNDIAL_SECRET_', max_response_bytes: 65536, secret_hosts: {} },
      cleanup: { retention_days: 30, schedule_daily: true },
    });
    expect(config.auth).toMatchObject({ admin_email: 'admin@localhost', admin_password: '' });
    expect(config.log).toMatchObject({ level: 'info' });
  });

  it('ignores variables that are not config paths', () => {
    const config = load({ PATH: '/usr/bin', SUNDIAL_SOMETHING: 'x', NODE_ENV: 'production', PORT: '1' });
    expect(config.server.port).toBe(4000);
  });
});

describe('sundial.yaml', () => {
  it('gives typed values, section by section; keys it leaves out keep their defaults', () => {
    writeFile(
      'sundial.yaml',
      [
        'server:',
        '  port: 5055',
        '  host: 0.0.0.0',
        'database:',
        '  data_dir: /var/lib/sundial',
        'jobs:',
        '  enabled: false',
        '  concurrency: 4',
        'log:',
        '  level: debug',
      ].join('\n'),
    );
    const config = load();
    expect(config.server).toMatchObject({ port: 5055, host: '0.0.0.0', shutdown_grace_seconds: 30 });
    expect(config.database.data_dir).toBe('/var/lib/sundial');
    expect(config.database.url).toBe('');
    expect(config.jobs).toMatchObject({ enabled: false, concurrency: 4 });
    expect(config.log.level).toBe('debug');
    expect(config.database.url).toBe('');
  });

  it('resolves relative folders (data_dir, actions.dir) against the folder the file is read from', () => {
    writeFile('sundial.yaml', 'database:\n  data_dir: var/db\nactions:\n  dir: ../shared-actions\n');
    const config = load();
    expect(config.database.data_dir).toBe(path.join(dir, 'var', 'db'));
    expect(config.actions.dir).toBe(path.join(path.dirname(dir), 'shared-actions'));
  });

  it('is found where `npm start` was typed (INIT_CWD), not in the workspace folder npm runs the server in', () => {
    writeFile('sundial.yaml', 'server:\n  port: 5077\n');
    const config = loadConfig({ env: { INIT_CWD: dir } });
    expect(config.server.port).toBe(5077);
    expect(config.database.data_dir).toBe(path.join(dir, 'data'));
  });

  it('reads an empty key or a section whose keys are all commented out as not set', () => {
    writeFile('sundial.yaml', 'server:\n  # port: 5000\njobs:\n  enabled:\n');
    const config = load();
    expect(config.server.port).toBe(4000);
    expect(config.jobs.enabled).toBe(true);
  });

  it('accepts an empty file', () => {
    writeFile('sundial.yaml', '# nothing set yet\n');
    expect(load().server.port).toBe(4000);
  });

  it('is read from the file SUNDIAL_CONFIG names, relative to the working folder', () => {
    writeFile('other.yaml', 'server:\n  port: 6001\n');
    writeFile('sundial.yaml', 'server:\n  port: 6002\n');
    expect(load({ SUNDIAL_CONFIG: 'other.yaml' }).server.port).toBe(6001);
  });

  it('must exist when SUNDIAL_CONFIG names it', () => {
    const message = failure({ SUNDIAL_CONFIG: 'missing.yaml' });
    expect(message).toContain(path.join(dir, 'missing.yaml'));
    expect(message).toContain('SUNDIAL_CONFIG');
    expect(message).toContain('does not exist');
  });

  it('refuses a file that is not YAML, naming the file', () => {
    const file = writeFile('sundial.yaml', 'server:\n  port: [4000\n  host: "x\n');
    const message = failure();
    expect(message).toContain(file);
    expect(message).toContain('not valid YAML');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses a file whose top level is not a mapping of sections', () => {
    writeFile('sundial.yaml', '- server\n- jobs\n');
    expect(failure()).toContain('the top level must be a mapping of sections');
  });
});

describe('environment overrides', () => {
  it('SUNDIAL_JOBS__ENABLED=false turns job execution off', () => {
    expect(load({ SUNDIAL_JOBS__ENABLED: 'false' }).jobs.enabled).toBe(false);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('reads the boolean %s as %s', (text, value) => {
    expect(load({ SUNDIAL_JOBS__ENABLED: text }).jobs.enabled).toBe(value);
  });

  it('reads a list from comma-separated text (actions.packages)', () => {
    expect(load({ SUNDIAL_ACTIONS__PACKAGES: '@acme/actions, sundial-actions-extra' }).actions.packages).toEqual([
      '@acme/actions',
      'sundial-actions-extra',
    ]);
  });

  it('reads the http.request allow-list from comma-separated text and rejects a bad range', () => {
    expect(load({ SUNDIAL_BUILTIN__HTTP__ALLOW_HOSTS: 'intranet.example.com, 10.20.0.0/16,::1' }).builtin.http.allow_hosts).toEqual([
      'intranet.example.com',
      '10.20.0.0/16',
      '::1',
    ]);
    expect(() => load({ SUNDIAL_BUILTIN__HTTP__ALLOW_HOSTS: 'example.com/8' })).toThrow(/builtin\.http\.allow_hosts/);
  });

  it('reads the queues a worker takes and the queues\' limits from the environment, naming a bad entry', () => {
    const config = load({ SUNDIAL_JOBS__QUEUES: 'default, reports,reports', SUNDIAL_JOBS__QUEUE_CONCURRENCY: 'reports=2, exports = 1' });
    expect(config.jobs.queues).toEqual(['default', 'reports']);
    expect(config.jobs.queue_concurrency).toEqual({ reports: 2, exports: 1 });
    expect(load().jobs.queues).toEqual([]);
    expect(failure({ SUNDIAL_JOBS__QUEUES: 'default,bad queue!' })).toMatch(/jobs\.queues/);
    expect(failure({ SUNDIAL_JOBS__QUEUE_CONCURRENCY: 'reports' })).toMatch(/jobs\.queue_concurrency.*reports=2/);
    expect(failure({ SUNDIAL_JOBS__QUEUE_CONCURRENCY: 'reports=0' })).toMatch(/jobs\.queue_concurrency/);
  });

  it('SUNDIAL_SERVER__PORT gives a number', () => {
    expect(load({ SUNDIAL_SERVER__PORT: '8080' }).server.port).toBe(8080);
  });

  it('wins over the file, key by key', () => {
    writeFile('sundial.yaml', 'server:\n  port: 5055\n  host: 0.0.0.0\njobs:\n  enabled: true\n');
    const config = load({ SUNDIAL_SERVER__PORT: '6066', SUNDIAL_JOBS__ENABLED: 'false' });
    expect(config.server).toMatchObject({ port: 6066, host: '0.0.0.0' });
    expect(config.jobs.enabled).toBe(false);
  });

  it('takes DATABASE_URL as database.url', () => {
    const url = 'postgres://sundial@db.internal:5432/sundial';
    expect(load({ DATABASE_URL: url }).database.url).toBe(url);
  });

  it('prefers SUNDIAL_DATABASE__URL over DATABASE_URL', () => {
    const config = load({
      DATABASE_URL: 'postgres://other@elsewhere:5432/other',
      SUNDIAL_DATABASE__URL: 'postgresql://sundial@db.internal:5432/sundial',
    });
    expect(config.database.url).toBe('postgresql://sundial@db.internal:5432/sundial');
  });

  it('prefers DATABASE_URL over the file', () => {
    writeFile('sundial.yaml', 'database:\n  url: postgres://file@from-file:5432/f\n');
    expect(load({ DATABASE_URL: 'postgres://env@from-env:5432/e' }).database.url).toBe('postgres://env@from-env:5432/e');
  });
});

describe('bad values', () => {
  it('names the key, the value, the variable it came from and what is allowed: server.port=abc', () => {
    const message = failure({ SUNDIAL_SERVER__PORT: 'abc' });
    expect(message).toBe(
      'server.port = "abc" (from SUNDIAL_SERVER__PORT): must be a whole number from 0 to 65535',
    );
  });

  it('names the file a bad value came from', () => {
    const file = writeFile('sundial.yaml', 'server:\n  port: 70000\n');
    expect(failure()).toBe(`server.port = 70000 (from ${file}): must be a whole number from 0 to 65535`);
  });

  it('server.max_requests_in_flight=0: at least one request must be let in', () => {
    expect(failure({ SUNDIAL_SERVER__MAX_REQUESTS_IN_FLIGHT: '0' })).toBe(
      'server.max_requests_in_flight = "0" (from SUNDIAL_SERVER__MAX_REQUESTS_IN_FLIGHT): must be a whole number from 1 to 100000',
    );
    expect(load({ SUNDIAL_SERVER__MAX_REQUESTS_IN_FLIGHT: '200' }).server.max_requests_in_flight).toBe(200);
    expect(load().server.max_requests_in_flight).toBe(64);
  });

  it('jobs.enabled=maybe', () => {
    const message = failure({ SUNDIAL_JOBS__ENABLED: 'maybe' });
    expect(message).toContain('jobs.enabled = "maybe" (from SUNDIAL_JOBS__ENABLED)');
    expect(message).toContain('must be true or false');
  });

  it('database.url=mysql://… without showing its password', () => {
    const message = failure({ SUNDIAL_DATABASE__URL: 'mysql://admin:hunter2@db.internal:3306/sundial' });
    expect(message).toContain('database.url');
    expect(message).toContain('(from SUNDIAL_DATABASE__URL)');
    expect(message).toContain('must be a postgres://… or postgresql://… URL');
    expect(message).toContain('mysql://admin:***@db.internal:3306/sundial');
    expect(message).not.toContain('hunter2');
  });

  it('names DATABASE_URL when the alias carried the bad value, without its password', () => {
    const message = failure({ DATABASE_URL: 'mongodb://app:s3cr3t@mongo:27017/x' });
    expect(message).toContain('database.url');
    expect(message).toContain('(from DATABASE_URL)');
    expect(message).not.toContain('s3cr3t');
  });

  it('never shows a password setting', () => {
    const file = writeFile('sundial.yaml', 'auth:\n  admin_password:\n    - correct-horse-battery\n');
    const message = failure();
    expect(message).toContain(`auth.admin_password = (hidden) (from ${file})`);
    expect(message).not.toContain('correct-horse-battery');
  });

  it('says which values a choice allows', () => {
    expect(failure({ SUNDIAL_LOG__LEVEL: 'loud' })).toBe(
      'log.level = "loud" (from SUNDIAL_LOG__LEVEL): must be one of debug, info, warn, error',
    );
  });

  it('names each bad value, one line each', () => {
    const lines = failure({ SUNDIAL_SERVER__PORT: '-1', SUNDIAL_JOBS__CONCURRENCY: '0' }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith('server.port = "-1"'))).toBe(true);
    expect(lines.some((line) => line.startsWith('jobs.concurrency = "0"'))).toBe(true);
  });
});

describe('unknown keys', () => {
  it('refuses a misspelt variable (SUNDIAL_JOBS__ENABLE) and lists the keys of its section', () => {
    const message = failure({ SUNDIAL_JOBS__ENABLE: 'false' });
    expect(message).toContain('jobs.enable (from SUNDIAL_JOBS__ENABLE): unknown setting');
    expect(message).toContain('enabled, concurrency');
  });

  it('refuses an unknown section in the file, naming the file and the sections', () => {
    const file = writeFile('sundial.yaml', 'servr:\n  port: 4000\n');
    const message = failure();
    expect(message).toContain(`servr (from ${file}): unknown setting`);
    expect(message).toContain(Object.keys(configSchema.shape).join(', '));
  });

  it('names the variable that set a value below a key', () => {
    expect(failure({ SUNDIAL_SERVER__PORT__NUMBER: '1' })).toContain('(from SUNDIAL_SERVER__PORT__NUMBER)');
  });
});
