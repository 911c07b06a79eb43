// The benchmark's corpora: pinned releases of real ORM code, fetched with the ordinary package
// clients (npm pack, apt-get download) into a cache folder outside the repository, extracted, and
// laid out so that every tool walks the same files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

/** TS/JS: the published sources of ORM packages (and the MongoDB driver, which ships its .ts sources). */
export const TS_PACKAGES = [
  'typeorm@1.1.1',
  'sequelize@6.37.8',
  '@mikro-orm/core@7.2.2',
  'kysely@0.29.9',
  'drizzle-orm@0.45.2',
  'mongoose@9.12.1',
  'knex@3.3.0',
  'mongodb@7.9.0',
];
const TS_QUICK = ['kysely@0.29.9', 'knex@3.3.0'];

/**
 * Python: Debian bookworm's packages. Security updates can replace a version in the archive; then
 * the current one is taken and the corpus description says which.
 */
export const PY_PACKAGES = [
  { deb: 'python3-django', version: '3:3.2.25-0+deb12u7', module: 'django' },
  { deb: 'python3-sqlalchemy', version: '1.4.46+ds1-1', module: 'sqlalchemy' },
  { deb: 'python3-peewee', version: '3.14.10+dfsg-1+b3', module: 'peewee', files: ['peewee.py', 'playhouse'] },
];
const PY_QUICK = ['python3-peewee'];

/** The editor-latency files: one real ~3,500-line file per language. */
export const LATENCY_FILES = {
  typescript: { pkg: 'zod@3.25.76', path: 'src/v4/core/schemas.ts' },
  python: { deb: 'python3-sqlalchemy', path: 'sqlalchemy/orm/query.py' },
};

const JS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION_OR_MINIFIED_NAME = /\.(d\.ts|d\.mts|d\.cts|min\.js|min\.mjs|min\.cjs)$/;

/**
 * Folder names that some linters skip by default (dependencies, build output, virtualenvs). The
 * corpora are published code, where `dist/` or `build/` holds the real sources; such folders are
 * renamed `dist_`, `build_`… so that every tool sees every file.
 */
const DEFAULT_SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo',
  '.cache', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.idea', '.vscode-test', 'target', 'vendor', 'bower_components',
]);

export function cacheDir() {
  if (process.env.PERFLENS_BENCH_CACHE) return process.env.PERFLENS_BENCH_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'perflens-bench');
}

/** A bundle, not code a person wrote: very long lines on average. */
export function looksMinified(text) {
  if (text.length < 10_000) return false;
  const lines = text.split('\n').length;
  return text.length / lines > 250;
}

function safeRelative(rel) {
  return rel.split(/[\\/]/).map((s) => (DEFAULT_SKIPPED_DIRS.has(s) ? `${s}_` : s)).join(sep);
}

function walkFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...walkFiles(full));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function packageDirName(spec) {
  return spec.replace(/^@/, '').replace('/', '-');
}

/** `npm pack` one exact version into downloads/, extracted to extracted/<name>; returns the package root. */
function fetchNpm(cache, spec, log) {
  const dir = join(cache, 'extracted', packageDirName(spec));
  if (existsSync(join(dir, '.complete'))) return join(dir, 'package');
  const downloads = join(cache, 'downloads');
  mkdirSync(downloads, { recursive: true });
  log(`fetching ${spec} (npm pack)`);
  const out = run('npm', ['pack', '--silent', spec], downloads).trim().split('\n').pop();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('tar', ['xzf', join(downloads, out), '-C', dir]);
  writeFileSync(join(dir, '.complete'), spec + '\n');
  return join(dir, 'package');
}

/** `apt-get download` the pinned version (or the archive's current one), `dpkg-deb -x`; no root install. */
function fetchDeb(cache, pkg, log) {
  const dir = join(cache, 'extracted', pkg.deb);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return { root: join(dir, 'usr/lib/python3/dist-packages'), version: readFileSync(marker, 'utf8').trim() };
  const downloads = join(cache, 'downloads');
  mkdirSync(downloads, { recursive: true });
  let version = pkg.version;
  log(`fetching ${pkg.deb}=${version} (apt-get download)`);
  try {
    run('apt-get', ['download', `${pkg.deb}=${version}`], downloads);
  } catch {
    version = run('apt-cache', ['policy', pkg.deb]).match(/Candidate:\s*(\S+)/)?.[1];
    if (!version || version === '(none)') throw new Error(`${pkg.deb} is not in the apt lists (run apt-get update)`);
    log(`${pkg.deb}=${pkg.version} is gone from the archive; taking ${version}`);
    run('apt-get', ['download', `${pkg.deb}=${version}`], downloads);
  }
  const debVersion = version.replace(/^\d+:/, '');
  const deb = readdirSync(downloads).find((f) => f.startsWith(`${pkg.deb}_`) && f.includes(debVersion.replace(/:/g, '%3a')) && f.endsWith('.deb'))
    ?? readdirSync(downloads).find((f) => f.startsWith(`${pkg.deb}_`) && f.endsWith('.deb'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('dpkg-deb', ['-x', join(downloads, deb), dir]);
  writeFileSync(marker, version + '\n');
  return { root: join(dir, 'usr/lib/python3/dist-packages'), version };
}

function copyInto(target, rel, source, stats) {
  const dest = join(target, safeRelative(rel));
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(source, dest);
  stats.files++;
  stats.bytes += statSync(source).size;
}

/**
 * Builds (or reuses) one corpus folder; returns { name, dir, files, bytes, sources }. A manifest
 * written last marks a complete corpus; a change of the pinned list rebuilds it.
 */
function buildCorpus(cache, name, key, fill, log) {
  const dir = join(cache, 'corpora', name);
  const manifestPath = join(cache, 'corpora', `${name}.json`);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.key === key && existsSync(dir)) return { ...manifest, dir };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const stats = { files: 0, bytes: 0 };
  const sources = fill(dir, stats);
  const manifest = { name, key, files: stats.files, bytes: stats.bytes, sources };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { ...manifest, dir };
}

export function tsCorpus(cache, { quick = false, log = () => {} } = {}) {
  const specs = quick ? TS_QUICK : TS_PACKAGES;
  const name = quick ? 'ts-orm-quick' : 'ts-orm';
  return buildCorpus(cache, name, specs.join(' '), (dir, stats) => {
    const sources = [];
    for (const spec of specs) {
      const root = fetchNpm(cache, spec, log);
      const before = stats.files;
      for (const file of walkFiles(root)) {
        const rel = relative(root, file);
        if (!JS_FILE.test(rel) || DECLARATION_OR_MINIFIED_NAME.test(rel)) continue;
        if (looksMinified(readFileSync(file, 'utf8'))) continue;
        copyInto(join(dir, packageDirName(spec)), rel, file, stats);
      }
      sources.push(`${spec} (${stats.files - before} files)`);
    }
    return sources;
  }, log);
}

export function pyCorpus(cache, repoRoot, { quick = false, log = () => {} } = {}) {
  const pkgs = quick ? PY_PACKAGES.filter((p) => PY_QUICK.includes(p.deb)) : PY_PACKAGES;
  const name = quick ? 'python-orm-quick' : 'python-orm';
  return buildCorpus(cache, name, pkgs.map((p) => `${p.deb}=${p.version}`).join(' ') + ' +examples', (dir, stats) => {
    const sources = [];
    for (const pkg of pkgs) {
      const { root, version } = fetchDeb(cache, pkg, log);
      const before = stats.files;
      const tops = pkg.files ?? [pkg.module];
      for (const top of tops) {
        const start = join(root, top);
        const files = statSync(start).isDirectory() ? walkFiles(start) : [start];
        for (const file of files) if (file.endsWith('.py')) copyInto(join(dir, pkg.module), relative(root, file), file, stats);
      }
      sources.push(`${pkg.deb} ${version} (Debian; ${stats.files - before} files)`);
    }
    const before = stats.files;
    const examples = join(repoRoot, 'examples');
    for (const file of walkFiles(examples)) if (file.endsWith('.py')) copyInto(join(dir, 'perflens-examples'), relative(examples, file), file, stats);
    sources.push(`this repository's examples/ (${stats.files - before} files)`);
    return sources;
  }, log);
}

/** The two ~3,500-line files the editor-latency measurement edits. */
export function latencyFiles(cache, { log = () => {} } = {}) {
  const ts = LATENCY_FILES.typescript;
  const tsPath = join(fetchNpm(cache, ts.pkg, log), ts.path);
  const py = LATENCY_FILES.python;
  const pkg = PY_PACKAGES.find((p) => p.deb === py.deb);
  const { root, version } = fetchDeb(cache, pkg, log);
  return {
    typescript: { path: tsPath, label: `${ts.pkg} ${ts.path}` },
    python: { path: join(root, py.path), label: `${py.deb} ${version} ${py.path}` },
  };
}
