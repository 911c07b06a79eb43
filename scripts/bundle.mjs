// Bundles the client, the server, the CLI, the PGlite host and the SQLite worker with esbuild, and
// copies the WASM assets beside the server bundles: the Python adapter's grammar, sql.js's SQLite, and PGlite's Postgres build,
// initdb and file-system image (PGlite looks for them beside the script that loaded it). CJS output with an `import.meta.url` shim: some
// dependencies ship ESM that reads import.meta.url, which a plain CJS bundle leaves undefined.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // From sources the adapters resolve their WASM from node_modules; bundled, they get the bundle's folder.
  logOverride: { 'require-resolve-not-external': 'silent' },
  define: { 'import.meta.url': '__importMetaUrl', PERFLENS_VERSION: JSON.stringify(version) },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  // web-tree-sitter's CommonJS build, as the compiled sources load it: its ESM build loads Node's
  // modules with import(), which fails in a script run from V8's code cache on Node 20
  // (server/src/workers/code-cache.ts).
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

/**
 * The CLI is three bundles: cli.js (arguments, files, cache, output), lint-worker.js (parsers and
 * rules; also the worker threads' script) and database-cli.js (explain and bench, with the drivers).
 * cli.js loads the other two only when it needs them, so a re-scan that the cache answers compiles
 * and runs a small bundle instead of all of TypeScript. From sources the same imports load the
 * compiled modules.
 */
const CLI_PARTS = { './lint-worker.js': './lint-worker.js', './cli/database-commands.js': './database-cli.js' };
const cliParts = {
  name: 'perflens-cli-parts',
  setup(build) {
    build.onResolve({ filter: /^\.\/(lint-worker|cli\/database-commands)\.js$/ }, (args) => ({ path: CLI_PARTS[args.path], external: true }));
  },
};

/**
 * TypeScript, made an ES module once: esbuild wraps a CommonJS module in a new object for each
 * module that imports it, copying every export as a getter (TypeScript has thousands), and forty
 * of PerfLens's modules import it: about 65 ms of each bundle's start, and its memory. Our modules
 * import this one shim instead; it alone imports TypeScript.
 */
const typescriptOnce = {
  name: 'perflens-typescript-once',
  setup(build) {
    const shim = { path: 'typescript', namespace: 'perflens-typescript' };
    build.onResolve({ filter: /^typescript$/ }, (args) => (args.kind === 'import-statement' && args.namespace === 'file' && !args.importer.includes(`${sep}node_modules${sep}`) ? shim : undefined));
    build.onLoad({ filter: /.*/, namespace: 'perflens-typescript' }, () => ({ contents: `import ts from ${JSON.stringify(require.resolve('typescript'))};\nexport default ts;\n`, resolveDir: root, loader: 'js' }));
  },
};
common.plugins = [typescriptOnce];

await Promise.all([
  esbuild.build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(root, 'client/out/extension.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/main.ts')], outfile: join(root, 'server/out/server.js') }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/cli.ts')], outfile: join(root, 'server/out/cli.js'), plugins: [typescriptOnce, cliParts] }),
  // Loaded through V8's code cache (server/src/workers/code-cache.ts), where import() fails on Node 20: require() instead.
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/workers/lint-worker.ts')], outfile: join(root, 'server/out/lint-worker.js'), supported: { 'dynamic-import': false } }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/cli/database-commands.ts')], outfile: join(root, 'server/out/database-cli.js') }),
  // Emscripten's Node glue names `ws` for a browser-socket mode PGlite never uses in Node.
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/database/pglite-host.ts')], outfile: join(root, 'server/out/pglite-host.js'), external: ['ws'] }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/database/sqlite-host.ts')], outfile: join(root, 'server/out/sqlite-host.js') }),
]);

const assets = [
  join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  ...['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((f) => join(dirname(require.resolve('@electric-sql/pglite')), f)),
  require.resolve('sql.js/dist/sql-wasm.wasm'),
];
mkdirSync(join(root, 'server/out'), { recursive: true });
for (const asset of assets) copyFileSync(asset, join(root, 'server/out', asset.split(/[\\/]/).pop()));

// A blank PostgreSQL data directory, archived, for the embedded database to start from: initdb in
// WASM takes ~3 s, which the first EXPLAIN on a machine would otherwise wait for
// (pglite-host.ts). Made again only when PGlite's version changes.
const blank = join(root, 'server/out/blank-pgdata.tar.gz');
const pgliteVersion = JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')).version;
if (!existsSync(blank) || readFileSyncOr(`${blank}.version`) !== pgliteVersion) {
  const { PGlite } = await import(pathToFileURL(require.resolve('@electric-sql/pglite')).href);
  const dir = mkdtempSync(join(tmpdir(), 'perflens-blank-pgdata-'));
  try {
    const db = await PGlite.create(dir);
    const archive = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
    await db.close();
    writeFileSync(blank, archive);
    writeFileSync(`${blank}.version`, pgliteVersion);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readFileSyncOr(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
