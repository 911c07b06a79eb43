/**
 * Neovim (Debian's 0.7.2), headless, as a second real LSP client of the bundled server:
 * test/e2e/neovim/perflens-client.lua drives it; this test checks what it reports and the file it
 * wrote.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/engine';
import { ARTIFACTS, SETUP_TIMEOUT_MS, requireTools, scratchDir } from './harness/environment';
import { textAfterFix } from './harness/expected';

const NVIM_TIMEOUT_MS = 200_000;
const FILE = 'fastapi-sqlalchemy/app/main.py';
const FIX = { rule: 'n-plus-one', line: 43, title: 'Load owner with selectinload' };

describe('e2e: Neovim as an LSP client', function () {
  this.timeout(NVIM_TIMEOUT_MS + 30_000);
  let nvim: string;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    ({ nvim } = await requireTools('nvim'));
  });

  it('gets diagnostics pushed, applies a quick-fix through its code-action menu, writes the file, runs commands (explain included)', async () => {
    const scratch = scratchDir('neovim');
    const workspace = path.join(scratch, 'examples');
    fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
    const expected = textAfterFix(workspace, FILE, FIX.rule, FIX.line, FIX.title);
    const resultFile = path.join(scratch, 'result.json');
    const logFile = path.join(ARTIFACTS, 'neovim.log');
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    const out = fs.openSync(logFile, 'w');
    const child = spawn(nvim, ['--headless', '--clean', '-n', '-c', `luafile ${path.join(REPO_ROOT, 'test/e2e/neovim/perflens-client.lua')}`], {
      cwd: workspace,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        PERFLENS_NODE: process.execPath,
        PERFLENS_SERVER: path.join(REPO_ROOT, 'server/out/server.js'),
        PERFLENS_ROOT: workspace,
        PERFLENS_FILE: path.join(workspace, FILE),
        PERFLENS_RULE: FIX.rule,
        PERFLENS_LINE: String(FIX.line),
        PERFLENS_FIX: FIX.title,
        PERFLENS_RESULT: resultFile,
        PERFLENS_STORAGE: path.join(scratch, 'storage'),
        XDG_STATE_HOME: path.join(scratch, 'state'),
        XDG_CACHE_HOME: path.join(scratch, 'cache'),
      },
    });
    const status = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), NVIM_TIMEOUT_MS);
      child.on('close', (code, signal) => (clearTimeout(timer), fs.closeSync(out), resolve(code ?? signal ?? 'unknown')));
    });
    assert.ok(fs.existsSync(resultFile), `Neovim ended (${status}) without a result; see ${logFile}`);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    fs.writeFileSync(path.join(ARTIFACTS, 'neovim-result.json'), JSON.stringify(result, null, 2));
    assert.equal(result.ok, true, `the Lua client failed: ${result.error}\nserver log:\n${result.log.join('\n')}`);
    assert.equal(status, 0);

    const found = result.diagnostics.map((d: any) => `${d.line} ${d.code}`).sort();
    assert.deepEqual(found, ['24 offset-pagination', '29 offset-pagination', '43 n-plus-one', '49 n-plus-one', '65 blocking-call-in-handler', '71 unbounded-cache']);
    assert.ok(result.diagnostics.every((d: any) => d.source === 'perflens'));
    assert.ok(result.actions.includes(FIX.title), result.actions.join('\n'));
    assert.ok(result.actions.includes('Disable n-plus-one for this line'), result.actions.join('\n'));
    assert.equal(fs.readFileSync(path.join(workspace, FILE), 'utf8'), expected, 'the file Neovim wrote has exactly the fix applied');
    assert.equal(result.showMessageRequests, 0, 'the server never needs window/showMessageRequest');
    assert.match(result.documentationUrl, /docs\/rules\/n-plus-one\.md$/);
    // EXPLAIN of an ORM call through workspace/executeCommand, on the embedded database built from models.py.
    assert.equal(result.explain.origin, 'orm');
    assert.match(result.explain.sql, /^SELECT .* FROM "owners" ORDER BY "owners"\."name" LIMIT 50 OFFSET \$1$/);
    assert.equal(result.explain.root, 'Limit');
    assert.match(result.explain.summary, /^[A-Z][\w ]* · [\d,]+ rows? · [\d.,]+ ms$/);
  });
});
