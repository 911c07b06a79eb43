/**
 * PerfLens the way the language server runs it on an open document, without the LSP transport:
 * the same Engine, DocumentAnalyzer (one analysis per document version), SettingsStore and
 * WorkspaceIndex as server.ts wires them, after the warm-up the server runs when it starts (unless
 * `warmUp: false`: the first edits of a server that just started). `npm run bench` times `change()`
 * for editor latency.
 * Compiled by `npm run build` to out/bench/perflens-editor.js.
 */
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from '../server/src/document-analyzer';
import { Engine } from '../server/src/engine/analyze';
import { WorkspaceIndex } from '../server/src/engine/workspace-index';
import { createAdapters } from '../server/src/languages';
import { ALL_RULES } from '../server/src/rules';
import { SettingsStore } from '../server/src/settings-store';
import { pathToUri } from '../server/src/uri';
import { warmUp } from '../server/src/warm-up';

export interface EditorSession {
  /** Opens the document (first analysis); resolves to the number of findings. */
  open(text: string): Promise<number>;
  /** Replaces [start, end) with `text` as one incremental change, a new version; re-lints. */
  change(start: number, end: number, text: string): Promise<number>;
}

export async function perflensEditorSession(file: string, languageId: string, options: { warmUp?: boolean } = {}): Promise<EditorSession> {
  const log = (m: string) => process.env.PERFLENS_BENCH_VERBOSE && process.stderr.write(`perflens: ${m}\n`);
  const engine = new Engine(ALL_RULES, createAdapters(), log);
  await engine.init();
  if (options.warmUp !== false) await warmUp(engine);
  // No client to pull settings from: the workspace's .perflens.json (none) over the defaults.
  const settings = new SettingsStore({} as Connection, () => false, () => path.dirname(file), log);
  const index = new WorkspaceIndex(engine, log);
  const analyzer = new DocumentAnalyzer(engine, settings, (f, facts) => index.recordAnalysis(f.path, f.text, facts), index);
  const uri = pathToUri(file);
  let doc: TextDocument | undefined;
  const lint = async (): Promise<number> => (await analyzer.analyze(doc!))?.findings.length ?? 0;
  return {
    open(text) {
      doc = TextDocument.create(uri, languageId, 1, text);
      return lint();
    },
    change(start, end, text) {
      const range = { start: doc!.positionAt(start), end: doc!.positionAt(end) };
      doc = TextDocument.update(doc!, [{ range, text }], doc!.version + 1);
      return lint();
    },
  };
}
