#!/usr/bin/env node
// `npx sundial …` / `npm run sundial -- …`: the CLI (apps/server/src/cli/sundial.ts). Like `npm start`, it first
// makes sure the Prisma client is generated (instant when it is), then runs the TypeScript source through tsx, so
// there is nothing to build by hand. prepare's messages go to stderr: stdout is the exported document.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const prepare = fileURLToPath(new URL('../../../scripts/prepare.mjs', import.meta.url));
const prepared = spawnSync(process.execPath, [prepare, '--no-web'], { stdio: ['ignore', 2, 2] });
if (prepared.status !== 0) process.exit(prepared.status ?? 1);

register();
await import('../src/cli/sundial.ts');
