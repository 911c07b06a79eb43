// `npm run bench`: PerfLens and its peers on the same corpora, in the same run, tools alternating
// within each round; prints ratios (and medians, files/s, MB/s, peak RSS) and writes them to
// bench/results/latest.md. See bench/README.md for the method.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { databaseBench, databaseSection } from './database.mjs';
import { parseArgs, USAGE, UsageError } from './lib/args.mjs';
import { cacheDir, latencyFiles, pyCorpus, tsCorpus } from './lib/corpora.mjs';
import { hasGnuTime, measure } from './lib/measure.mjs';
import { defineTools } from './lib/tools.mjs';
import { formatMB, latencyRows, scanRows } from './lib/table.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const progress = (m) => process.stderr.write(`bench: ${m}\n`);

/** The peers live in bench/node_modules (bench/package.json), never in the extension's dependencies. */
function installPeers() {
  if (existsSync(join(benchDir, 'node_modules/.package-lock.json'))) return undefined;
  progress('installing the peers (npm ci --prefix bench)…');
  const r = spawnSync('npm', ['ci', '--prefix', benchDir, '--no-audit', '--no-fund'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0) return undefined;
  const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n').filter((l) => !/Unknown user config/.test(l)).slice(-2).join(' ');
  return why || `npm ci exited ${r.status}`;
}

/**
 * The bundles as `npm run package` ships them (minified): a cold CLI run compiles a third of the
 * development bundle's source. The development bundles come back with the next `npm run build`.
 */
function buildPerflens() {
  progress('building PerfLens (npm run build, then the bundles minified as packaged)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
  const p = spawnSync(process.execPath, ['scripts/bundle.mjs', '--production'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (p.status !== 0) throw new Error('bundling for production failed');
}

function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model?.trim() ?? 'unknown CPU',
    cores: c.length,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

/** Rotates the order each round, so no tool always runs first (cold caches) or last. */
export function rotate(xs, by) {
  const k = xs.length ? by % xs.length : 0;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

function runScans(opts, tools, corpora) {
  const jobs = [];
  const results = [];
  for (const corpus of corpora) {
    for (const tool of tools) {
      if (!tool.languages.includes(corpus.language)) continue;
      const result = { id: tool.id, tool: tool.name, corpus, runs: [], unavailable: tool.unavailable };
      results.push(result);
      if (!result.unavailable) jobs.push({ tool, corpus, result });
    }
  }
  const once = (job) => {
    job.tool.prepare?.(job.corpus);
    const r = measure(job.tool.command(job.corpus));
    const read = job.tool.read(r);
    return { wall: r.wall, cpu: r.cpu, rssKB: r.rssKB, ...read };
  };
  // Warm-up: fills the page cache, and any tool that cannot run on this corpus is reported, not timed.
  for (const job of jobs) {
    progress(`warm-up: ${job.tool.id} on ${job.corpus.label}`);
    try {
      const w = once(job);
      job.result.note = w.note;
    } catch (e) {
      job.result.unavailable = `failed: ${e.message.slice(0, 200)}`;
    }
  }
  const live = jobs.filter((j) => !j.result.unavailable);
  for (let round = 0; round < opts.rounds; round++) {
    for (const job of rotate(live, round)) {
      progress(`round ${round + 1}/${opts.rounds}: ${job.tool.id} on ${job.corpus.label}`);
      try {
        job.result.runs.push(once(job));
      } catch (e) {
        job.result.unavailable = `failed in round ${round + 1}: ${e.message.slice(0, 200)}`;
      }
    }
  }
  return results;
}

const LATENCY_TOOLS = {
  typescript: [
    { id: 'perflens', tool: 'PerfLens (DocumentAnalyzer, as the LSP server)', peer: undefined },
    { id: 'perflens-cold', tool: 'PerfLens, a server that has just started (no warm-up)', peer: undefined },
    { id: 'eslint-verify', tool: 'ESLint Linter#verify (no-await-in-loop)', peer: 'eslint' },
    { id: 'eslint-linttext', tool: 'ESLint ESLint#lintText (no-await-in-loop)', peer: 'eslint' },
  ],
  python: [
    { id: 'perflens', tool: 'PerfLens (DocumentAnalyzer, as the LSP server)', peer: undefined },
    { id: 'perflens-cold', tool: 'PerfLens, a server that has just started (no warm-up)', peer: undefined },
    { id: 'ruff', tool: 'Ruff WASM Workspace#check (ASYNC, B019, PERF)', peer: 'ruff' },
    // Typing leaves the code broken for a moment: the line typed is `if x` (no colon yet).
    { id: 'perflens-broken', session: 'perflens', edit: 'broken', base: 'perflens-broken', tool: 'PerfLens, typing a statement not yet complete (`if x`: a syntax error)', peer: undefined },
    { id: 'ruff-broken', session: 'ruff', edit: 'broken', base: 'perflens-broken', tool: 'Ruff WASM Workspace#check, the same edit', peer: 'ruff' },
  ],
};
LATENCY_TOOLS.typescript.push({ id: 'perflens-broken', session: 'perflens', edit: 'broken', base: 'perflens-broken', tool: 'PerfLens, typing a statement not yet complete (`const x = ;`: a syntax error)', peer: undefined });

/** How the extension starts the language server (server/src/protocol.ts, built by `npm run build`). */
function serverProcess() {
  return createRequire(join(repoRoot, 'package.json'))(join(repoRoot, 'out/server/src/protocol.js')).SERVER_PROCESS;
}

function runLatency(opts, files, scanTools) {
  const results = [];
  const jobs = [];
  for (const [language, entry] of Object.entries(files)) {
    const lines = entry.text.split('\n').length;
    const label = `${entry.label} (${lines.toLocaleString('en')} lines)`;
    for (const t of LATENCY_TOOLS[language]) {
      const base = scanTools.find((x) => x.id === (t.peer ?? 'perflens'));
      if (opts.only && !opts.only.includes(t.peer ?? 'perflens')) continue;
      const result = { id: t.id, base: t.base, tool: t.tool, file: label, samples: [], unavailable: base?.unavailable };
      if (t.id.startsWith('perflens') && !existsSync(join(repoRoot, 'out/bench/perflens-editor.js'))) result.unavailable = 'not built: run npm run build';
      results.push(result);
      if (!result.unavailable) jobs.push({ language, path: entry.path, t, result });
    }
  }
  for (let round = 0; round < opts.rounds; round++) {
    for (const job of rotate(jobs, round)) {
      if (job.result.unavailable) continue;
      progress(`latency round ${round + 1}/${opts.rounds}: ${job.t.id} on ${job.language}`);
      // PerfLens in a process started as the extension starts the language server (its flags and environment).
      const server = job.t.id.startsWith('perflens') ? serverProcess() : { execArgv: [], env: {} };
      const r = spawnSync(process.execPath, [...server.execArgv, join(benchDir, 'editor-latency.mjs'), '--tool', job.t.session ?? job.t.id, '--file', job.path, '--language', job.language, '--edits', String(opts.edits), '--edit', job.t.edit ?? 'comment'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...server.env } });
      if (r.status !== 0) {
        job.result.unavailable = `failed: ${(r.stderr || '').trim().split('\n')[0]?.slice(0, 200)}`;
        continue;
      }
      const out = JSON.parse(r.stdout);
      job.result.samples.push(...out.samples);
      job.result.note = `${out.findings} findings`;
    }
  }
  return results;
}

function report({ opts, m, corpora, scans, latency, latencyFileInfo, started, loadBefore }) {
  const lines = [];
  lines.push(`# PerfLens benchmark${opts.quick ? ' (--quick: a smoke run, not a result)' : ''}`);
  lines.push('');
  lines.push(`Run ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memory}, ${m.os}, Node ${m.node}.`);
  lines.push(`One warm-up run, then ${opts.rounds} measured rounds; the tools alternate within each round and the order rotates between rounds.`);
  lines.push(`Times are medians of the rounds; **Time ÷ PerfLens** is the tool's median over PerfLens's on the same corpus (above 1: PerfLens is faster).`);
  const loadAfter = loadavg()[0];
  const busy = Math.max(loadBefore, loadAfter) > m.cores;
  lines.push(`Load average (1 min) before the run ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}${busy ? ': above the core count, so other processes competed for the CPU and wall times are noisy; the ratios (alternating rounds) and the CPU times suffer less' : ''}.`);
  lines.push(hasGnuTime ? 'CPU is user+sys of the process tree and Peak RSS the largest process\'s, both from GNU time.' : 'GNU time (/usr/bin/time) is not installed: no CPU or peak RSS.');
  lines.push('');
  lines.push('## Corpora');
  lines.push('');
  for (const c of corpora) {
    if (c.unavailable) lines.push(`- **${c.label}**: unavailable (${c.unavailable})`);
    else lines.push(`- **${c.label}**: ${c.files.toLocaleString('en')} files, ${formatMB(c.bytes)}: ${c.sources.join(', ')}.`);
  }
  lines.push('');
  lines.push('## Whole-workspace scan (cold process, one CLI run per tool)');
  lines.push('');
  lines.push(scanRows(scans.filter((s) => !s.corpus.unavailable)));
  const notes = scans.filter((s) => s.note && !s.unavailable).map((s) => `${s.tool} on ${s.corpus.label}: ${s.note}`);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  if (latency) {
    lines.push('');
    lines.push('## Editor latency (in-process re-lint after a one-line edit)');
    lines.push('');
    lines.push(`Each tool in its own Node process: open the file, ${10} warm-up edits, then ${opts.edits} timed edits per round (a comment line typed in the middle of the file, then removed; 30 ms between edits, untimed), ${opts.rounds} rounds. The "not yet complete" rows type a statement with a syntax error instead, at the middle line's indentation, and are compared with each other.`);
    lines.push('');
    lines.push(latencyRows(latency));
    if (latencyFileInfo) lines.push('', ...latencyFileInfo);
  }
  lines.push('');
  return lines.join('\n');
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = new Date();
  const loadBefore = loadavg()[0];
  const installError = installPeers();
  if (installError) progress(`the peers are unavailable: ${installError}`);
  if (opts.build) buildPerflens();
  const cache = cacheDir();
  progress(`corpora in ${cache}`);
  const corpora = [];
  for (const [language, label, make] of [
    ['ts', opts.quick ? 'TS/JS (quick)' : 'TS/JS ORMs', () => tsCorpus(cache, { quick: opts.quick, log: progress })],
    ['py', opts.quick ? 'Python (quick)' : 'Python ORMs', () => pyCorpus(cache, repoRoot, { quick: opts.quick, log: progress })],
  ]) {
    try {
      corpora.push({ ...make(), language, label });
    } catch (e) {
      corpora.push({ language, label, unavailable: e.message.split('\n')[0] });
    }
  }
  let tools = defineTools({ repoRoot, benchDir, corporaDir: join(cache, 'corpora'), installError, baseline: opts.baseline });
  if (opts.only) tools = tools.filter((t) => opts.only.includes(t.id));
  const scans = runScans(opts, tools, corpora.filter((c) => !c.unavailable));
  let latency;
  let latencyFileInfo;
  if (opts.latency) {
    try {
      const files = latencyFiles(cache, { log: progress });
      const { readFileSync } = await import('node:fs');
      for (const f of Object.values(files)) f.text = readFileSync(f.path, 'utf8');
      latency = runLatency(opts, files, tools);
    } catch (e) {
      latencyFileInfo = [`Editor latency unavailable: ${e.message.split('\n')[0]}`];
      latency = [];
    }
  }
  let database = '';
  if (opts.database) {
    try {
      database = `\n${databaseSection(await databaseBench({ log: progress }))}`;
    } catch (e) {
      database = `\n## Embedded database (PGlite)\n\nUnavailable: ${e.message.split('\n')[0]}\n`;
    }
  }
  const text = report({ opts, m: machine(), corpora, scans, latency, latencyFileInfo, started, loadBefore }) + database;
  process.stdout.write(text);
  const out = opts.out ?? join(benchDir, 'results', opts.quick ? 'quick.md' : 'latest.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  progress(`written to ${relative(process.cwd(), out) || out}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`bench: ${e.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
