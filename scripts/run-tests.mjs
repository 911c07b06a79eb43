// Runs the mocha suites compiled to out/test and ends with the line CI reads: `N passed, N failed`.
// Arguments narrow the run to files whose path contains one of them (`npm test -- lsp cli`).
import Mocha from 'mocha';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const testRoot = join(root, 'out/test');
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return name.endsWith('.test.js') ? [full] : [];
  });
}

// The CLI caches per-file results in the user's cache folder: tests get a folder of their own.
const cacheDir = mkdtempSync(join(tmpdir(), 'perflens-test-cache-'));
process.env.PERFLENS_CACHE_DIR = cacheDir;

const mocha = new Mocha({ reporter: 'spec', timeout: 60_000 });
const files = walk(testRoot).filter((f) => filters.length === 0 || filters.some((x) => relative(testRoot, f).includes(x)));
files.sort().forEach((f) => mocha.addFile(f));

let passed = 0;
let failed = 0;
const runner = mocha.run();
runner.on('pass', () => passed++);
runner.on('fail', () => failed++);
runner.on('end', () => {
  rmSync(cacheDir, { recursive: true, force: true });
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
});
