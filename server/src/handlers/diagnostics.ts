/**
 * Diagnostics: pulled by clients that can (`textDocument/diagnostic`), pushed to the others after a
 * short pause in typing. Either way a document version is analysed once.
 */
import { DocumentDiagnosticReportKind, type DocumentDiagnosticReport } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../context';
import { toDiagnostic } from './convert';

const PUSH_DELAY_MS = 150;

function resultId(ctx: ServerContext, doc: TextDocument): string {
  return `${doc.version}:${ctx.settings.generation}:${ctx.analyzer.revision}`;
}

export function registerPullDiagnostics(ctx: ServerContext): void {
  ctx.connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const id = resultId(ctx, doc);
    if (params.previousResultId === id && ctx.analyzer.cached(doc.uri, doc.version)) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: id };
    }
    const analysis = await ctx.analyzer.analyze(doc, () => token.isCancellationRequested);
    if (!analysis) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    // After the analysis: recording its own facts may have moved the index's revision.
    return { kind: DocumentDiagnosticReportKind.Full, resultId: resultId(ctx, doc), items: analysis.findings.map((f) => toDiagnostic(analysis.file, f)) };
  });
}

/** For clients without pull diagnostics: analyse after typing pauses, then publish. */
export function registerPushDiagnostics(ctx: ServerContext): { refreshAll(): void } {
  const timers = new Map<string, NodeJS.Timeout>();
  const publish = async (uri: string) => {
    timers.delete(uri);
    const doc = ctx.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const analysis = await ctx.analyzer.analyze(doc, () => ctx.documents.get(uri)?.version !== version);
    // A newer version is on its way: its own publish will follow.
    if (!analysis || ctx.documents.get(uri)?.version !== version) return;
    await ctx.connection.sendDiagnostics({ uri, version, diagnostics: analysis.findings.map((f) => toDiagnostic(analysis.file, f)) });
  };
  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => void publish(uri).catch((e: Error) => ctx.log(`diagnostics for ${uri} failed: ${e.message}`)), delay));
  };
  ctx.documents.onDidOpen((e) => schedule(e.document.uri, 0));
  ctx.documents.onDidChangeContent((e) => schedule(e.document.uri, PUSH_DELAY_MS));
  ctx.documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    void ctx.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  return { refreshAll: () => ctx.documents.all().forEach((d) => schedule(d.uri, 0)) };
}
