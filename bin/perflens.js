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
// Node 22+ keeps V8's compiled code of the 14 MB bundle between runs (a third of a re-scan with
// nothing changed goes to compiling it); `--no-cache` turns it off with the rest. On Node 20 the
// API does not exist and the bundle is compiled each time.
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache === 'function' && !process.argv.includes('--no-cache')) {
  const cacheDir = process.env.PERFLENS_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache'), 'perflens');
  try {
    enableCompileCache(path.join(cacheDir, 'code'));
  } catch {
    // A cache folder we cannot write: compile each time.
  }
}
require(cli).run();
