#!/usr/bin/env node
// The language server's memory on a 10,000-file workspace, and over 10,000 edits.
//
//   node bench/server-memory.mjs [--files 10000] [--edits 10000] [--idle 30] [--node-args '--flag …'] [--json]
//
// Builds (once) a workspace of that many source files from the benchmark's corpora (the TS/JS and
// Python ORM sources, copied as many times as it takes), starts the bundled server
// (server/out/server.js) over stdio as an editor does, waits for the workspace index, then opens
// one file and sends edits (a line typed and removed, as in the latency benchmark), pulling
// diagnostics every 100 edits. Reads the server's resident memory from /proc: after indexing,
// after the edits, and its peak (VmHWM). Needs `npm run build` and the corpora (`npm run bench`
// fetches them). PERFLENS_BENCH_VERBOSE=1 prints the server's log messages to stderr.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FILES = opt('--files', 10_000);
const EDITS = opt('--edits', 10_000);
const cache = process.env.PERFLENS_BENCH_CACHE || join(homedir(), '.cache', 'perflens-bench');
const corpora = ['ts-orm', 'python-orm'].map((c) => join(cache, 'corpora', c));
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function workspace() {
  const dir = join(cache, `workspace-${FILES}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  for (const c of corpora) if (!existsSync(c)) throw new Error(`${c} is missing: run \`npm run bench -- --quick\` once to fetch the corpora`);
  rmSync(dir, { recursive: true, force: true });
  const files = corpora.flatMap((c) => sourceFiles(c).map((f) => ({ corpus: c, file: f })));
  let n = 0;
  for (let copy = 0; n < FILES; copy++) {
    for (const { corpus, file } of files) {
      if (n >= FILES) break;
      const to = join(dir, `copy${copy}`, relative(dirname(corpus), file));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(file, to);
      n++;
    }
  }
  writeFileSync(join(dir, '.complete'), `${n}\n`);
  return dir;
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main() {
  const ws = workspace();
  const server = join(root, 'server/out/server.js');
  if (!existsSync(server)) throw new Error('server/out/server.js is missing: run `npm run build` first');
  // Started as the extension starts it (its flags and environment), plus --node-args '…'.
  const { SERVER_PROCESS } = require(join(root, 'out/server/src/protocol.js'));
  const nodeArgs = args.includes('--node-args') ? args[args.indexOf('--node-args') + 1].split(' ').filter(Boolean) : [];
  const proc = spawn(process.execPath, [...SERVER_PROCESS.execArgv, ...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...SERVER_PROCESS.env } });
  // A failure below must not leave the server running (and this process waiting on it).
  process.once('exit', () => proc.kill());
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let indexed;
  const indexDone = new Promise((resolve) => (indexed = resolve));
  connection.onNotification('window/logMessage', (p) => {
    if (process.env.PERFLENS_BENCH_VERBOSE) process.stderr.write(p.message + '\n');
    if (/^indexed \d+ files|^indexing cancelled/.test(p.message)) indexed(p.message);
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => {});
  connection.listen();
  const started = Date.now();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(ws).href,
    workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true }, textDocument: { diagnostic: { dynamicRegistration: false } } },
  });
  connection.sendNotification('initialized', {});
  const message = await indexDone;
  const afterIndex = memory(proc.pid);
  const indexSeconds = (Date.now() - started) / 1000;

  // Edits on the biggest TypeScript (else JavaScript) file of the first copy, typed as the latency
  // benchmark types them.
  const candidates = sourceFiles(join(ws, 'copy0')).filter((f) => /\.(ts|js)$/.test(f));
  const target = candidates
    .map((f) => ({ f, ts: f.endsWith('.ts'), size: readFileSync(f).length }))
    .sort((a, b) => Number(b.ts) - Number(a.ts) || b.size - a.size)[0]?.f;
  if (!target) throw new Error('the workspace has no TypeScript or JavaScript file to edit');
  const uri = pathToFileURL(target).href;
  const text = readFileSync(target, 'utf8');
  connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: target.endsWith('.ts') ? 'typescript' : 'javascript', version: 1, text } });
  const mid = text.indexOf('\n', text.length >> 1) + 1;
  const line = '// typed\n';
  const position = (offset) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const at = position(mid);
  for (let i = 1; i <= EDITS; i++) {
    const change = i % 2 === 1
      ? { range: { start: at, end: at }, text: line }
      : { range: { start: at, end: { line: at.line + 1, character: 0 } }, text: '' };
    connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 1 }, contentChanges: [change] });
    if (i % 100 === 0) await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }
  await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const afterEdits = memory(proc.pid);
  // Idle, as an editor mostly is: V8's memory reducer gives back what the index and edits left.
  const IDLE = opt('--idle', 30);
  await new Promise((r) => setTimeout(r, IDLE * 1000));
  const afterIdle = memory(proc.pid);
  await connection.sendRequest('shutdown');
  connection.sendNotification('exit');
  await new Promise((r) => proc.once('exit', r));

  const result = {
    files: FILES,
    indexed: message,
    indexSeconds,
    rssAfterIndex: afterIndex.rss,
    edits: EDITS,
    editedFile: relative(ws, target),
    rssAfterEdits: afterEdits.rss,
    idleSeconds: IDLE,
    rssAfterIdle: afterIdle.rss,
    peakRss: afterIdle.peak,
  };
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `${message} in ${indexSeconds.toFixed(1)} s; resident memory after indexing ${mb(result.rssAfterIndex)}; ` +
        `after ${EDITS} edits of ${result.editedFile} ${mb(result.rssAfterEdits)}; after ${IDLE} s idle ${mb(result.rssAfterIdle)}; peak ${mb(result.peakRss)}\n`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`server-memory: ${e.message}\n`);
  process.exit(1);
});
