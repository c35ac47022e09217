// The server's own code compiled once for a test run, so that every process a test spawns (servers, the CLI, the
// migrate command) starts from plain JavaScript instead of having tsx transpile and resolve ~130 TypeScript files
// again in each child: on a loaded machine that start-up cost is what made process-spawning tests time out.
//
// esbuild bundles apps/server/src (and its generated Prisma client); every package stays an import, resolved by
// Node at run time from apps/server as usual — including @sundial/actions and @sundial/builtin-actions, which are
// TypeScript and are loaded, like the actions folder's own .ts files, through tsx's loader.
// `import.meta.url` in each source file is replaced by that file's own URL, so paths the server derives from it
// (prisma/migrations, apps/web/dist, the generated client's folder, createRequire('graphql')) are the ones the
// TypeScript source would see.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const SERVER_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_ROOT = path.join(SERVER_ROOT, 'src');

/** The entries a test may start, by name, with their TypeScript source. */
export const ENTRIES = {
  main: 'src/main.ts',
  cli: 'src/cli/sundial.ts',
  migrate: 'src/cli/migrate.ts',
} as const;

export type EntryName = keyof typeof ENTRIES;
export type BuiltEntries = Record<EntryName, string>;

/** Where builds go: inside apps/server so that Node resolves the bundles' package imports as it does the source's. */
export const BUILD_PARENT = path.join(SERVER_ROOT, 'node_modules', '.cache', 'sundial-test-build');

const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!args.path.startsWith(SOURCE_ROOT + path.sep)) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/**
 * Bundles the entries into a new folder under BUILD_PARENT and writes a launcher per entry; returns the launchers.
 * A launcher first imports every package the bundle imports (plain JavaScript, loaded without hooks), then registers
 * tsx, then runs its entry: tsx is there for what is TypeScript at run time (the workspace's @sundial/* packages and
 * the actions folder), and Node's module hooks (run off-thread on Node 20) no longer sit in front of the hundreds
 * of package files the server loads — with `--import tsx` they made loading them about 2.5 times as costly in CPU.
 */
export async function buildServerEntries(): Promise<{ dir: string; entries: BuiltEntries }> {
  fs.mkdirSync(BUILD_PARENT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(BUILD_PARENT, 'run-'));
  const result = await build({
    absWorkingDir: SERVER_ROOT,
    entryPoints: Object.entries(ENTRIES).map(([name, file]) => ({ in: file, out: name })),
    outdir: path.join(dir, 'code'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    packages: 'external',
    plugins: [ownImportMetaUrl],
    metafile: true,
    logLevel: 'warning',
  });
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const item of output.imports) {
      if (item.external && item.kind === 'import-statement' && !item.path.startsWith('node:') && !WORKSPACE_PACKAGE.test(item.path)) {
        packages.add(item.path);
      }
    }
  }
  fs.writeFileSync(path.join(dir, 'packages.mjs'), [...packages].sort().map((name) => `import ${JSON.stringify(name)};\n`).join(''));
  const entries = {} as BuiltEntries;
  for (const name of Object.keys(ENTRIES) as EntryName[]) {
    entries[name] = path.join(dir, `${name}.mjs`);
    fs.writeFileSync(
      entries[name],
      `import './packages.mjs';\nimport { register } from 'tsx/esm/api';\nregister();\nawait import('./code/${name}.mjs');\n`,
    );
  }
  return { dir, entries };
}

/** The workspace's own packages: TypeScript, loaded through tsx. */
const WORKSPACE_PACKAGE = /^@sundial\//;
