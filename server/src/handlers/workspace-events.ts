/**
 * Workspace events: settings changed, files changed on disk (the index, `.perflens.json` and the
 * embedded database's schema), and the initial index build with work-done progress and the status
 * bar notification.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver';
import { WorkerPool } from '../workers/lint-pool';
import type { ServerContext } from '../context';
import type { IndexWorkers } from '../engine/workspace-index';
import { readPathAliases } from '../engine/path-aliases';
import { DRIZZLE_CONFIGS, MANIFESTS, workspaceManifests } from '../engine/workspace-databases';
import { readSource } from '../engine/read-source';
import { StatusNotification, type PerflensSettings, type StatusParams } from '../protocol';
import { pathToUri, uriToPath } from '../uri';

export function sendStatus(ctx: ServerContext, status: StatusParams): void {
  void ctx.connection.sendNotification(StatusNotification, status);
}

export function registerWorkspaceEvents(ctx: ServerContext, refreshDiagnostics: () => void): void {
  ctx.connection.onDidChangeConfiguration(() => {
    ctx.analyzer.invalidateAll();
    refreshDiagnostics();
  });
  // What a file changed on disk shows the others (a new migration, a checkout, another editor)
  // moves the index's revision when it changes: the server then refreshes the open documents.
  ctx.connection.onDidChangeWatchedFiles(async ({ changes }) => {
    // Any of the watched files may hold the embedded database's schema (a migration, a model, an
    // entity): the next database command reads the schema again, and rebuilds only if it changed.
    if (changes.length) ctx.database.schemaChanged();
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (file.endsWith('.perflens.json')) {
        ctx.settings.invalidate();
        refreshDiagnostics();
        continue;
      }
      if (MANIFESTS.includes(path.basename(file)) || DRIZZLE_CONFIGS.includes(path.basename(file))) {
        // The drivers, job queues and packages the manifests name, and Drizzle's casing, decide advice and fixes (workspace-databases.ts).
        if (ctx.root) {
          const read = workspaceManifests(ctx.root);
          Object.assign(ctx.index.models, { databases: read.databases, jobQueues: read.jobQueues, drizzleCasing: read.drizzleCasing, packages: read.packages });
        }
        ctx.analyzer.invalidateAll();
        refreshDiagnostics();
        if (!DRIZZLE_CONFIGS.includes(path.basename(file))) continue;
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
      // An open document is indexed from the editor's text, not the disk's: its analyses record
      // it, and one opened without being shown (a file a quick fix wrote) is indexed here.
      const open = ctx.documents.get(change.uri);
      if (open) {
        ctx.index.update(file, open.getText());
        continue;
      }
      const read = await readSource(file);
      if ('text' in read) ctx.index.update(file, read.text);
    }
  });
}

/**
 * Threads for indexing a large workspace: one per core but the one the server's thread needs for
 * typing, and at most two (each holds its own copy of the parsers while the index is built). A
 * worker keeps no more than one file's facts at a time, so its heap is capped: V8 otherwise lets
 * a heap that mostly holds garbage grow to twice what it needs, and the closer the cap, the sooner
 * it collects. A worker that reaches the cap ends, and the server's thread indexes the rest. With
 * 128 MB (bench/server-memory.mjs, 10,000 files) the server's peak was 269–276 MB, with 256 MB
 * 289–313 MB, in the same time; a worker indexing three 2 MB files (the index's largest) stays
 * under it.
 */
const INDEX_WORKER_HEAP_MB = 128;
/**
 * The worker's young generation, set here whatever flags the server was started with (otherwise
 * the process's, or sized from the heap): 8 MB semi-spaces, where most of a file's parse garbage
 * dies. 12 and 48 MB gave the same peak resident memory within the noise of
 * bench/server-memory.mjs; 12 made indexing slower.
 */
const INDEX_WORKER_YOUNG_MB = 24;
/** Below this, starting a worker (about a second of loading the parsers) costs more than it saves. */
const MIN_FILES_FOR_INDEX_WORKERS = 300;

function indexWorkers(ctx: ServerContext, settings: PerflensSettings): ((files: number) => IndexWorkers | undefined) | undefined {
  const workers = ctx.indexWorkers;
  const root = ctx.root;
  if (!workers || !root) return undefined;
  const size = Math.max(1, Math.min(2, os.availableParallelism() - 1));
  return (files) => {
    if (files < MIN_FILES_FOR_INDEX_WORKERS) return undefined;
    ctx.log(`index: ${files} files on ${size} worker thread${size === 1 ? '' : 's'}`);
    return new WorkerPool(workers.script, size, { settings, root, assetDir: workers.assetDir }, ctx.log, { maxOldGenerationSizeMb: INDEX_WORKER_HEAP_MB, maxYoungGenerationSizeMb: INDEX_WORKER_YOUNG_MB });
  };
}

export async function onInitialized(ctx: ServerContext, refreshDiagnostics: () => void): Promise<void> {
  if (ctx.support.watchedFilesRegistration) {
    await ctx.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,sql,prisma}' },
        { globPattern: '**/.perflens.json' },
        { globPattern: '**/tsconfig.json' },
        // The manifests and drizzle.json, at the root and one folder down.
        { globPattern: `{${[...MANIFESTS, 'drizzle.config.json'].join(',')}}` },
        { globPattern: `*/{${[...MANIFESTS, 'drizzle.config.json'].join(',')}}` },
      ],
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
      indexWorkers(ctx, settings),
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
