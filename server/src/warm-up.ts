/**
 * The language server's warm-up: once the workspace is indexed, while the editor is idle, the
 * server lints built-in sample code (warm-up-samples.ts) and re-lints it after small edits, the
 * way a user types. V8 compiles each function to bytecode first and optimizes it only after many
 * calls: in a fresh server, the first file opened (a 3,500-line Python file) took ~100 ms and its
 * first edits 15–60 ms before settling at ~4–5 ms. After the warm-up the same file opens in ~25 ms,
 * and the p95 of its first 50 edits is 20–30% lower (the benchmark reports both, for Python and
 * TypeScript). It takes the server's thread ~1.7 s for the Python sample and ~0.6 s for the
 * TypeScript one (with V8's compiler and collector threads, 1.7× that in CPU), once.
 *
 * It leaves nothing behind: the samples have paths no workspace has, go through an analyzer and
 * an index of their own, nothing is published, and the engine forgets them at the end. Each step
 * waits until no document was analysed for a moment, so a user who types at once is never queued
 * behind it, and it stops at shutdown.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from './document-analyzer';
import type { Engine } from './engine/analyze';
import { WorkspaceIndex } from './engine/workspace-index';
import type { LanguageId } from './languages/facts';
import { mergeSettings } from './engine/config';
import { pathToUri } from './uri';
import { PYTHON_HANDLERS, PYTHON_LIBRARY, TYPESCRIPT_HANDLERS, TYPESCRIPT_LIBRARY } from './warm-up-samples';

export interface WarmUpSample {
  language: LanguageId;
  /** Under a folder no workspace has: never a user's file. */
  path: string;
  text: string;
  /** How a line comment starts. */
  comment: string;
}

/** Where the samples claim to live (the engine keys its parse state by path). */
export const WARM_UP_DIR = '/.perflens-warm-up';

/**
 * About 1,100 lines of Python and 1,000 of TypeScript, mostly library-like code: a sample needs
 * the size and the shapes of the files users edit. Measured on query.py, first edits of fresh
 * processes: warming up on a 150-line sample gained about half as much, and on samples made
 * mostly of request handlers (dense with findings) nothing for TypeScript.
 */
export function warmUpSamples(): WarmUpSample[] {
  return [
    { language: 'python', path: `${WARM_UP_DIR}/orders.py`, text: (PYTHON_HANDLERS + PYTHON_LIBRARY).repeat(4), comment: '#' },
    { language: 'typescript', path: `${WARM_UP_DIR}/orders.ts`, text: TYPESCRIPT_LIBRARY.repeat(4) + TYPESCRIPT_HANDLERS + TYPESCRIPT_LIBRARY.repeat(2), comment: '//' },
  ];
}

/** Edits per sample, after the first analysis. */
export const WARM_UP_EDITS = 40;

/**
 * The n-th change typed into a sample (each is undone by the next edit), at a few places in turn: a
 * comment line typed between two lines (what the benchmark does), or a letter typed at the end of
 * a line's first word (mid-statement, often a syntax error on the way, as in real typing).
 */
export function warmUpChange(text: string, comment: string, n: number): { start: number; insert: string } {
  const lines = text.split('\n');
  let line = Math.floor((lines.length * (1 + (n % 3))) / 4);
  let start = 0;
  for (let l = 0; l < line; l++) start += lines[l].length + 1;
  if (n % 2 === 0) return { start, insert: `${comment} warm-up\n` };
  // The next line that starts with a word.
  for (let word = /^\s*\w+/.exec(lines[line]); line < lines.length - 1; word = /^\s*\w+/.exec(lines[line])) {
    if (word) return { start: start + word[0].length, insert: 'x' };
    start += lines[line++].length + 1;
  }
  return { start, insert: `${comment} warm-up\n` };
}

export interface WarmUpOptions {
  /**
   * Resolves when the thread may take the next step: the server waits until no document was
   * analysed for a moment. Unset: the next turn of the event loop.
   */
  idle?: () => Promise<void>;
  cancelled?: () => boolean;
  edits?: number;
  /** The languages to warm up (a workspace's); unset: all. */
  languages?: ReadonlySet<LanguageId>;
}

export interface WarmUpReport {
  analyses: number;
  /** The languages of the samples analysed. */
  languages: LanguageId[];
  ms: number;
  cancelled: boolean;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lints the samples and their edits with `engine`; languages the engine cannot parse are skipped. */
export async function warmUp(engine: Engine, options: WarmUpOptions = {}): Promise<WarmUpReport> {
  const started = performance.now();
  const idle = options.idle ?? nextTurn;
  const cancelled = options.cancelled ?? (() => false);
  const edits = options.edits ?? WARM_UP_EDITS;
  // The path an open document takes (DocumentAnalyzer, its analyses recorded in an index), with
  // an index and settings of its own: nothing from or for the user's workspace.
  const index = new WorkspaceIndex(engine, () => {});
  // Made as the server's settings are (the same hidden class for the code that reads them).
  const defaults = mergeSettings();
  const settings = { generation: 0, forDocument: () => Promise.resolve(defaults) };
  const analyzer = new DocumentAnalyzer(engine, settings, (file, facts) => index.recordAnalysis(file.path, file.text, facts), index);
  let analyses = 0;
  const languages: LanguageId[] = [];
  await engine.init();
  for (const sample of warmUpSamples()) {
    if (!engine.adapter(sample.language) || (options.languages && !options.languages.has(sample.language))) continue;
    languages.push(sample.language);
    const uri = pathToUri(sample.path);
    let doc = TextDocument.create(uri, sample.language, 0, sample.text);
    let change: { start: number; insert: string } | undefined;
    try {
      for (let i = -1; i < edits; i++) {
        await idle();
        if (cancelled()) return { analyses, languages, ms: performance.now() - started, cancelled: true };
        if (change) {
          const at = doc.positionAt(change.start);
          doc = TextDocument.update(doc, [{ range: { start: at, end: doc.positionAt(change.start + change.insert.length) }, text: '' }], doc.version + 1);
          change = undefined;
        } else if (i >= 0) {
          change = warmUpChange(doc.getText(), sample.comment, i >> 1);
          const at = doc.positionAt(change.start);
          doc = TextDocument.update(doc, [{ range: { start: at, end: at }, text: change.insert }], doc.version + 1);
        }
        await analyzer.analyze(doc);
        analyses++;
      }
    } finally {
      analyzer.forget(uri);
    }
  }
  // The samples' garbage is collected now, while the editor is idle, instead of in a full
  // collection during the user's first edits. `gc` exists when the process was started with
  // --expose-gc (SERVER_PROCESS); otherwise V8 collects when it will.
  (globalThis as { gc?: () => void }).gc?.();
  return { analyses, languages, ms: performance.now() - started, cancelled: false };
}
