// Ruff's WebAssembly build in Node over every .py file of a folder, with the rules PerfLens's Python
// side overlaps with (ASYNC, B019, PERF). Prints one JSON line: { files, findings, errors }.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');

export const RUFF_SETTINGS = { lint: { select: ['ASYNC', 'B019', 'PERF'] } };

function* pythonFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) yield* pythonFiles(full);
    else if (e.isFile() && e.name.endsWith('.py')) yield full;
  }
}

export function ruffWorkspace() {
  return new Workspace(RUFF_SETTINGS, PositionEncoding.Utf16);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const workspace = ruffWorkspace();
  let files = 0;
  let findings = 0;
  let errors = 0;
  for (const file of pythonFiles(process.argv[2])) {
    files++;
    try {
      findings += workspace.check(readFileSync(file, 'utf8')).length;
    } catch {
      errors++;
    }
  }
  process.stdout.write(JSON.stringify({ files, findings, errors }) + '\n');
}
