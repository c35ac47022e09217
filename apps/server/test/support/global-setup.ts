// Once per test run, before any test file: compiles the server's entries (build.ts) for every process the tests
// spawn, and removes the build when the run ends.
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildServerEntries, type BuiltEntries } from './build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    sundialBuild: BuiltEntries;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const { dir, entries } = await buildServerEntries();
  project.provide('sundialBuild', entries);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
