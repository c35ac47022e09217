#!/usr/bin/env node
// A Prisma generator that writes the full datamodel (table and column names, native types, defaults,
// indexes, foreign keys) to JSON. The client's own runtime datamodel leaves those out, and the schema test
// needs them to check that the hand-written migrations build exactly what schema.prisma declares.
const { generatorHandler } = require('@prisma/generator-helper');
const fs = require('node:fs');
const path = require('node:path');

generatorHandler({
  onManifest: () => ({ prettyName: 'Sundial datamodel JSON', defaultOutput: './datamodel.json' }),
  onGenerate: async (options) => {
    const out = options.generator.output?.value;
    if (!out) throw new Error('the datamodel generator needs an output path');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(options.dmmf.datamodel, null, 1) + '\n');
  },
});
