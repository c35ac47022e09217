// Once per test run, before any test file: builds what is stale (scripts/prepare.mjs: the Prisma client and
// @sundial/client's dist/, which the client's tests and the guides import as integrators would), compiles the
// server's entries (build.ts) for every process the tests spawn, and removes that build when the run ends.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './guide-blocks.js';
import type { TestProject } from 'vitest/node';
import { buildServerEntries, type BuiltEntries } from './build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    sundialBuild: BuiltEntries;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const prepared = spawnSync(process.execPath, [path.join(REPO, 'scripts/prepare.mjs'), '--no-web'], { cwd: REPO, stdio: 'inherit' });
  if (prepared.status !== 0) throw new Error('scripts/prepare.mjs --no-web failed: see its output above');
  const { dir, entries } = await buildServerEntries();
  project.provide('sundialBuild', entries);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
