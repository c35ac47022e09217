#!/usr/bin/env node
// Builds what is missing or stale before start, test or bench: the Prisma client (from prisma/schema.prisma),
// the integrators' client package (packages/client → its dist/, what `@sundial/client` resolves to) and the admin
// app (apps/web). A stamp file holds a hash of each one's inputs, so a second run is instant.
//   --no-web   skip the web app (server-only commands)
//   --force    rebuild everything
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const force = args.has('--force');

function hashOf(inputs) {
  const hash = crypto.createHash('sha256');
  const visit = (file) => {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const entry of fs.readdirSync(full).sort()) visit(path.join(file, entry));
    } else {
      hash.update(file).update(fs.readFileSync(full));
    }
  };
  inputs.forEach(visit);
  return hash.digest('hex');
}

function step(name, { inputs, output, stamp, run }) {
  const digest = hashOf(inputs);
  const stampFile = path.join(root, stamp);
  const fresh = !force && fs.existsSync(path.join(root, output)) && fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === digest;
  if (fresh) return;
  process.stdout.write(`prepare: ${name}\n`);
  const result = spawnSync(run[0], run.slice(1), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`prepare: ${name} failed\n`);
    process.exit(result.status ?? 1);
  }
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, digest);
}

step('generating the Prisma client', {
  inputs: ['prisma/schema.prisma', 'prisma/generators', 'node_modules/prisma/package.json'],
  output: 'apps/server/src/db/generated/prisma/client.ts',
  stamp: 'apps/server/src/db/generated/.stamp',
  run: [process.execPath, 'scripts/prisma-generate.mjs'],
});

step('building @sundial/client', {
  inputs: ['packages/client/src', 'packages/client/tsconfig.json', 'packages/client/tsconfig.build.json', 'packages/client/package.json'],
  output: 'packages/client/dist/index.js',
  stamp: 'packages/client/dist/.stamp',
  run: ['npm', 'run', '--silent', '-w', '@sundial/client', 'build'],
});

if (!args.has('--no-web')) {
  step('building the admin app', {
    inputs: ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/public', 'apps/web/package.json'],
    output: 'apps/web/dist/index.html',
    stamp: 'apps/web/dist/.stamp',
    run: ['npm', 'run', '--silent', '-w', '@sundial/web', 'build'],
  });
}
