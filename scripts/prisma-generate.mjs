#!/usr/bin/env node
// `prisma generate`, offline. The CLI first tries to download its native schema engine, which generate does
// not need; pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable skips that download.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/.bin');
const env = {
  ...process.env,
  // Generators named by command (prisma-pothos-types) are found here, as under `npx`.
  PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
