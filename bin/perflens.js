#!/usr/bin/env node
// The `perflens` command: runs the bundled CLI (server/out/cli.js).
const path = require('node:path');
const cli = path.join(__dirname, '..', 'server', 'out', 'cli.js');
try {
  require.resolve(cli);
} catch {
  process.stderr.write('perflens: the CLI is not built yet: run `npm run build` (or `npm run bundle`) first.\n');
  process.exit(2);
}
// Node 22+ keeps V8's compiled code of the CLI between runs. The lint worker's 14 MB bundle has a
// code cache of its own on every Node version (server/src/workers/code-cache.ts), in the same folder.
// Compiled code only, never results: `--no-cache` (per-file results) leaves it on.
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache === 'function') {
  const cacheDir = process.env.PERFLENS_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache'), 'perflens');
  try {
    enableCompileCache(path.join(cacheDir, 'code'));
  } catch {
    // A cache folder we cannot write: compile each time.
  }
}
require(cli).run();
