// The host object action packages with createActions(host) receive (see loader.ts). The actions load before the
// database opens (a broken action stops start-up before anything is opened), so the database is attached later.
import type pg from 'pg';
import type { Config, ProcessEnvironment } from '../config/load.js';
import type { ActionHost } from './loader.js';

export function createActionHost(config: Config, env: ProcessEnvironment['variables']): { host: ActionHost; attach(pool: pg.Pool): void } {
  let pool: pg.Pool | null = null;
  return {
    host: {
      config,
      env,
      database() {
        if (!pool) throw new Error('the database is not open yet: actions can use it when they run, not while they load');
        return pool;
      },
    },
    attach(opened) {
      pool = opened;
    },
  };
}
