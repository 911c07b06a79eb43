// The tools the benchmark runs over a whole corpus: how to start each one from the command line,
// with only the rules that overlap PerfLens's, and how to read the files it saw and what it found.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

function versionOf(benchModules, pkg) {
  try {
    return JSON.parse(readFileSync(join(benchModules, pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Biome's native binary, started directly: its `bin/biome` is a Node wrapper that would add a Node start-up. */
function biomeBinary(benchModules) {
  const os = process.platform === 'win32' ? 'win32' : process.platform;
  const exe = process.platform === 'win32' ? 'biome.exe' : 'biome';
  for (const variant of [`${os}-${process.arch}`, `${os}-${process.arch}-musl`]) {
    const p = join(benchModules, '@biomejs', `cli-${variant}`, exe);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Writes the peers' configuration files beside the corpora (ESLint resolves `files` from its config's folder). */
function writeConfigs(corporaDir, benchModules) {
  mkdirSync(corporaDir, { recursive: true });
  const parser = pathToFileURL(join(benchModules, '@typescript-eslint/parser/dist/index.js')).href;
  writeFileSync(join(corporaDir, 'eslint.config.mjs'), [
    '// Written by bench/lib/tools.mjs: ESLint with no-await-in-loop only, @typescript-eslint/parser without type information.',
    `import * as parser from ${JSON.stringify(parser)};`,
    'export default [{',
    "  files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],",
    "  languageOptions: { parser, ecmaVersion: 'latest', sourceType: 'module' },",
    // Inline `eslint-disable` comments name plugins' rules that are not loaded here.
    '  linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },',
    "  rules: { 'no-await-in-loop': 'warn' },",
    '}];',
    '',
  ].join('\n'));
  const biomeDir = join(corporaDir, 'biome');
  mkdirSync(biomeDir, { recursive: true });
  writeFileSync(join(biomeDir, 'biome.json'), JSON.stringify({
    vcs: { enabled: false },
    files: { maxSize: 10 * 1024 * 1024, ignoreUnknown: true },
    formatter: { enabled: false },
    assist: { enabled: false },
    linter: { enabled: true, rules: { preset: 'none', performance: { noAwaitInLoops: 'warn' } } },
  }, null, 2) + '\n');
  return { eslintConfig: join(corporaDir, 'eslint.config.mjs'), biomeConfigDir: biomeDir };
}

/**
 * Another build of PerfLens (`--baseline`), run like the current one: before/after in the same
 * rounds. A build that has the per-file cache runs with --no-cache, so both do a full scan.
 */
function baselineTool(cli, node) {
  const help = spawnSync(node, [cli, '--help'], { encoding: 'utf8' });
  const noCache = /--no-cache/.test(help.stdout ?? '') ? ['--no-cache'] : [];
  let rev = '';
  try {
    rev = ` ${JSON.parse(readFileSync(join(dirname(dirname(cli)), 'package.json'), 'utf8')).version}`;
  } catch {
    // Not a checkout with a package.json: the path names it.
  }
  return {
    id: 'perflens-baseline',
    name: `PerfLens baseline${rev} (${cli})`,
    languages: ['ts', 'py'],
    unavailable: existsSync(cli) ? (help.status === 0 ? undefined : `${cli} --help exited ${help.status}`) : `${cli} does not exist`,
    command: (c) => ({ cmd: node, args: [cli, 'lint', ...noCache, '--format', 'json', '--root', c.dir, c.dir] }),
    read(r) {
      if (r.error) throw new Error(r.error.message);
      if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}`);
      const report = JSON.parse(r.stdout);
      return { files: report.files, findings: report.findings.length };
    },
  };
}

/** The models file of the corpus copy that perflens-models changes: the examples' Django blog. */
const TOGGLED_MODELS = join('perflens-examples', 'django-blog', 'blog', 'models.py');
const ADDED_MODEL = '\n\nclass PostNote(models.Model):\n    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notes")\n    body = models.TextField()\n';

function modelsCopy(corpus, corporaDir) {
  return join(corporaDir, '..', 'models-change', corpus.name);
}

/** Makes the corpus copy when missing, then adds the model to its models file, or takes it away. */
function toggleModels(corpus, corporaDir) {
  const dir = modelsCopy(corpus, corporaDir);
  const file = join(dir, TOGGLED_MODELS);
  if (!existsSync(join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(corpus.dir, dir, { recursive: true });
    writeFileSync(join(dir, '.complete'), '');
  }
  if (!existsSync(file)) throw new Error(`${TOGGLED_MODELS} is not in the corpus`);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.endsWith(ADDED_MODEL) ? text.slice(0, -ADDED_MODEL.length) : text + ADDED_MODEL);
}

/**
 * Tool definitions: { id, name, version, languages, unavailable?, command(corpus), read(result) }.
 * `read` returns { files, findings } or throws with the reason the run is not valid.
 */
export function defineTools({ repoRoot, benchDir, corporaDir, installError, baseline }) {
  const benchModules = join(benchDir, 'node_modules');
  const configs = installError ? undefined : writeConfigs(corporaDir, benchModules);
  const node = process.execPath;
  const peer = (pkg, check) => {
    if (installError) return `bench dependencies did not install: ${installError}`;
    if (!versionOf(benchModules, pkg)) return `${pkg} is not installed in bench/node_modules`;
    return check?.();
  };
  const ok = (r, codes = [0]) => {
    if (r.error) throw new Error(r.error.message);
    if (!codes.includes(r.status)) throw new Error(`exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  };
  const perflensCli = join(repoRoot, 'bin/perflens.js');
  const perflensVersion = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  return [
    {
      id: 'perflens',
      name: `PerfLens ${perflensVersion} (all rules)`,
      languages: ['ts', 'py'],
      unavailable: existsSync(join(repoRoot, 'server/out/cli.js')) ? undefined : 'not built: run npm run build',
      // A full scan: the per-file cache is off, so every round parses every file.
      command: (c) => ({ cmd: node, args: [perflensCli, 'lint', '--no-cache', '--format', 'json', '--root', c.dir, c.dir] }),
      read(r) {
        ok(r, [0, 1]);
        const report = JSON.parse(r.stdout);
        return { files: report.files, findings: report.findings.length };
      },
    },
    {
      id: 'perflens-warm',
      name: `PerfLens ${perflensVersion} (all rules, re-scan with nothing changed: per-file cache warm)`,
      languages: ['ts', 'py'],
      unavailable: existsSync(join(repoRoot, 'server/out/cli.js')) ? undefined : 'not built: run npm run build',
      // The warm-up run fills the cache (beside the corpora, never in the repository); every
      // measured run then only reads and hashes the files.
      command: (c) => ({
        cmd: node,
        args: [perflensCli, 'lint', '--format', 'json', '--root', c.dir, c.dir],
        env: { PERFLENS_CACHE_DIR: join(corporaDir, '..', 'perflens-lint-cache') },
      }),
      read(r) {
        ok(r, [0, 1]);
        const report = JSON.parse(r.stdout);
        return { files: report.files, findings: report.findings.length };
      },
    },
    {
      id: 'perflens-models',
      name: `PerfLens ${perflensVersion} (all rules, re-scan after a models file changed: a model with a foreign key added or removed, per-file cache warm)`,
      languages: ['py'],
      unavailable: existsSync(join(repoRoot, 'server/out/cli.js')) ? undefined : 'not built: run npm run build',
      // A copy of the corpus whose examples' Django models.py alternates between two texts, one per
      // run: each run finds the models changed since the run before (the warm-up's) and the cache
      // otherwise warm. What a CI run or pre-commit hook meets after an edit of a models file.
      prepare: (c) => toggleModels(c, corporaDir),
      command: (c) => {
        const dir = modelsCopy(c, corporaDir);
        return { cmd: node, args: [perflensCli, 'lint', '--format', 'json', '--root', dir, dir], env: { PERFLENS_CACHE_DIR: join(corporaDir, '..', 'perflens-lint-cache-models') } };
      },
      read(r) {
        ok(r, [0, 1]);
        const report = JSON.parse(r.stdout);
        return { files: report.files, findings: report.findings.length };
      },
    },
    ...(baseline ? [baselineTool(baseline, node)] : []),
    {
      id: 'eslint',
      name: `ESLint ${versionOf(benchModules, 'eslint') ?? ''} + @typescript-eslint/parser ${versionOf(benchModules, '@typescript-eslint/parser') ?? ''} (no-await-in-loop)`,
      languages: ['ts'],
      unavailable: peer('eslint') ?? peer('@typescript-eslint/parser'),
      command: (c) => ({
        cmd: node,
        args: [join(benchModules, 'eslint/bin/eslint.js'), '--config', configs.eslintConfig, '--no-warn-ignored', '--format', 'json', c.dir],
        cwd: corporaDir,
      }),
      read(r) {
        ok(r, [0, 1]);
        const report = JSON.parse(r.stdout);
        const fatal = report.reduce((n, f) => n + f.messages.filter((m) => m.fatal).length, 0);
        return { files: report.length, findings: report.reduce((n, f) => n + f.warningCount, 0), note: fatal ? `${fatal} files did not parse` : undefined };
      },
    },
    {
      id: 'oxlint',
      name: `oxlint ${versionOf(benchModules, 'oxlint') ?? ''} (no-await-in-loop)`,
      languages: ['ts'],
      unavailable: peer('oxlint'),
      command: (c) => ({ cmd: node, args: [join(benchModules, 'oxlint/bin/oxlint'), '-A', 'all', '-W', 'no-await-in-loop', '--format', 'json', c.dir] }),
      read(r) {
        ok(r);
        const report = JSON.parse(r.stdout);
        return { files: report.number_of_files, findings: report.diagnostics.length, note: report.threads_count ? `${report.threads_count} threads` : undefined };
      },
    },
    {
      id: 'biome',
      name: `Biome ${versionOf(benchModules, '@biomejs/biome') ?? ''} (noAwaitInLoops)`,
      languages: ['ts'],
      unavailable: peer('@biomejs/biome', () => (biomeBinary(benchModules) ? undefined : `no Biome binary for ${process.platform}-${process.arch}`)),
      command: (c) => ({ cmd: biomeBinary(benchModules), args: ['lint', `--config-path=${configs.biomeConfigDir}`, '--max-diagnostics=0', '--colors=off', c.dir] }),
      read(r) {
        ok(r);
        const text = r.stdout + r.stderr;
        const files = Number(text.match(/Checked (\d+) files?/)?.[1]);
        const findings = Number(text.match(/Found (\d+) warnings?/)?.[1] ?? 0);
        return { files, findings };
      },
    },
    {
      id: 'ruff',
      name: `Ruff ${versionOf(benchModules, '@astral-sh/ruff-wasm-nodejs') ?? ''} WASM in Node (ASYNC, B019, PERF)`,
      languages: ['py'],
      unavailable: peer('@astral-sh/ruff-wasm-nodejs'),
      command: (c) => ({ cmd: node, args: [join(benchDir, 'tools/ruff-wasm.mjs'), c.dir] }),
      read(r) {
        ok(r);
        const report = JSON.parse(r.stdout);
        return { files: report.files, findings: report.findings, note: report.errors ? `${report.errors} files failed` : undefined };
      },
    },
  ];
}
