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
require(cli).run();
