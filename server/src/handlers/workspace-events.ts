/**
 * Workspace events: settings changed, files changed on disk (the index and `.perflens.json`),
 * and the initial index build with work-done progress and the status bar notification.
 */
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import { readPathAliases } from '../engine/path-aliases';
import { readSource } from '../engine/read-source';
import { StatusNotification, type StatusParams } from '../protocol';
import { pathToUri, uriToPath } from '../uri';

export function sendStatus(ctx: ServerContext, status: StatusParams): void {
  void ctx.connection.sendNotification(StatusNotification, status);
}

export function registerWorkspaceEvents(ctx: ServerContext, refreshDiagnostics: () => void): void {
  ctx.connection.onDidChangeConfiguration(() => {
    ctx.analyzer.invalidateAll();
    refreshDiagnostics();
  });
  ctx.connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (file.endsWith('.perflens.json')) {
        ctx.settings.invalidate();
        refreshDiagnostics();
        continue;
      }
      if (ctx.root && file === path.join(ctx.root, 'tsconfig.json')) {
        // Path aliases decide where imported helpers live.
        ctx.index.functions.aliases = readPathAliases(ctx.root, ctx.log);
        ctx.analyzer.invalidateAll();
        refreshDiagnostics();
        continue;
      }
      if (change.type === FileChangeType.Deleted) {
        ctx.index.remove(file);
        continue;
      }
      // An open document is indexed from the editor's text (its analyses), not the disk's.
      if (ctx.documents.get(change.uri)) continue;
      const read = await readSource(file);
      if ('text' in read) ctx.index.update(file, read.text);
    }
  });
}

export async function onInitialized(ctx: ServerContext, refreshDiagnostics: () => void): Promise<void> {
  if (ctx.support.watchedFilesRegistration) {
    await ctx.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,sql,prisma}' }, { globPattern: '**/.perflens.json' }, { globPattern: '**/tsconfig.json' }],
    });
  }
  if (!ctx.root) {
    sendStatus(ctx, { state: 'ready' });
    return;
  }
  const settings = await ctx.settings.forDocument(pathToUri(ctx.root));
  ctx.index.functions.aliases = readPathAliases(ctx.root, ctx.log);
  const progress = ctx.support.workDoneProgress ? await ctx.connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('PerfLens: indexing', 0, 'finding files', true);
  sendStatus(ctx, { state: 'indexing', done: 0 });
  let last = 0;
  try {
    const complete = await ctx.index.build(
      ctx.root,
      settings,
      ({ done, total }) => {
        const pct = total ? Math.floor((done / total) * 100) : 0;
        if (pct !== last || done === 0) progress?.report(pct, `${done}/${total ?? '?'} files`);
        last = pct;
        sendStatus(ctx, { state: 'indexing', done, total });
      },
      () => !!progress?.token.isCancellationRequested,
    );
    ctx.log(complete ? `indexed ${ctx.index.size} files` : 'indexing cancelled');
    // Open documents were linted before the models of other files were known.
    ctx.settings.invalidate();
    refreshDiagnostics();
    sendStatus(ctx, { state: 'ready', done: ctx.index.size, total: ctx.index.size, message: complete ? undefined : 'indexing cancelled' });
  } catch (e) {
    ctx.log(`indexing failed: ${(e as Error).message}`);
    sendStatus(ctx, { state: 'error', message: (e as Error).message });
  } finally {
    progress?.done();
  }
}
