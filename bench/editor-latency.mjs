// Editor latency, in one process per tool: open a ~3,500-line file, then make small edits (a comment
// line typed in the middle of the file, then removed again, 30 ms apart; with --edit broken, a
// statement not yet complete) and time each re-lint. Prints one JSON line: { samples: [ms…], findings }.
// PerfLens runs the warm-up the server runs when it starts; perflens-cold does not (the first edits
// in a server that has just started).
//   node bench/editor-latency.mjs --tool perflens|perflens-cold|eslint-verify|eslint-linttext|ruff --file F --language typescript|python --edits N [--edit comment|broken]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const requireBench = createRequire(join(benchDir, 'package.json'));
const requireRepo = createRequire(join(repoRoot, 'package.json'));

const WARMUP_EDITS = 10;
/**
 * The pause between two edits, not timed: a keystroke every 30 ms is faster than anyone types.
 * Tools that do work between keystrokes get to; timing edits back to back would measure a burst
 * no editor sends.
 */
const GAP_MS = 30;
const gap = () => new Promise((resolve) => setTimeout(resolve, GAP_MS));

/**
 * The i-th edit: even ones insert a line before the middle line, odd ones remove it. The line is a
 * comment, or with `broken` a statement not yet complete, at the middle line's indentation (`if x`,
 * `const x = ;`): typing leaves code broken for a moment, and the tools re-lint a tree with an error.
 */
export function editAt(text, language, kind = 'comment') {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length >> 1; i++) offset += lines[i].length + 1;
  const indent = /^[ \t]*/.exec(lines[lines.length >> 1] ?? '')[0];
  const comment =
    kind === 'broken' ? `${indent}${language === 'python' ? 'if x' : 'const x = ;'}\n` : language === 'python' ? '# bench edit\n' : '// bench edit\n';
  return { offset, comment };
}

/** Each tool as { open(text), change(start, end, newText) } → findings count. */
async function session(tool, file, language) {
  if (tool === 'perflens' || tool === 'perflens-cold') {
    const { perflensEditorSession } = requireRepo(join(repoRoot, 'out/bench/perflens-editor.js'));
    return perflensEditorSession(file, language, { warmUp: tool === 'perflens' });
  }
  if (tool === 'ruff') {
    const { Workspace, PositionEncoding } = requireBench('@astral-sh/ruff-wasm-nodejs');
    const { RUFF_SETTINGS } = await import(pathToFileURL(join(benchDir, 'tools/ruff-wasm.mjs')).href);
    const workspace = new Workspace(RUFF_SETTINGS, PositionEncoding.Utf16);
    let text = '';
    return {
      open: async (t) => workspace.check((text = t)).length,
      change: async (s, e, n) => workspace.check((text = text.slice(0, s) + n + text.slice(e))).length,
    };
  }
  const eslint = requireBench('eslint');
  const parser = requireBench('@typescript-eslint/parser');
  const config = [{
    files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
    languageOptions: { parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { noInlineConfig: true },
    rules: { 'no-await-in-loop': 'warn' },
  }];
  let text = '';
  if (tool === 'eslint-verify') {
    const linter = new eslint.Linter({ configType: 'flat', cwd: dirname(file) });
    const lint = () => linter.verify(text, config, basename(file)).length;
    return { open: async (t) => ((text = t), lint()), change: async (s, e, n) => ((text = text.slice(0, s) + n + text.slice(e)), lint()) };
  }
  if (tool === 'eslint-linttext') {
    const api = new eslint.ESLint({ cwd: dirname(file), overrideConfigFile: true, overrideConfig: config });
    const lint = async () => (await api.lintText(text, { filePath: file }))[0].messages.length;
    return { open: async (t) => ((text = t), lint()), change: async (s, e, n) => ((text = text.slice(0, s) + n + text.slice(e)), lint()) };
  }
  throw new Error(`unknown tool ${tool}`);
}

async function main(argv) {
  const arg = (name) => argv[argv.indexOf(name) + 1];
  const tool = arg('--tool');
  const file = arg('--file');
  const language = arg('--language');
  const edits = Number(arg('--edits') ?? 40);
  const kind = argv.includes('--edit') ? arg('--edit') : 'comment';
  const text = readFileSync(file, 'utf8');
  const s = await session(tool, file, language);
  let findings = await s.open(text);
  const { offset, comment } = editAt(text, language, kind);
  let inserted = false;
  const edit = () => {
    const p = inserted ? s.change(offset, offset + comment.length, '') : s.change(offset, offset, comment);
    inserted = !inserted;
    return p;
  };
  for (let i = 0; i < WARMUP_EDITS; i++) {
    await edit();
    await gap();
  }
  const samples = [];
  for (let i = 0; i < edits; i++) {
    const start = performance.now();
    findings = await edit();
    samples.push(performance.now() - start);
    await gap();
  }
  process.stdout.write(JSON.stringify({ samples, findings }) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
