/** The language server's wiring: documents, capabilities and handlers. Tests call `startServer` in-process. */
import { TextDocuments, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from './context';
import { DocumentAnalyzer } from './document-analyzer';
import { Engine } from './engine/analyze';
import type { Rule } from './engine/rule';
import { WorkspaceIndex } from './engine/workspace-index';
import { registerCodeActions } from './handlers/code-actions';
import { registerCodeLenses } from './handlers/code-lenses';
import { registerPullDiagnostics, registerPushDiagnostics } from './handlers/diagnostics';
import { registerDatabaseCommands } from './handlers/database-commands';
import { registerExecuteCommand } from './handlers/execute-command';
import { DatabaseSession } from './database/database-session';
import { clientSupport, initializeResult, workspaceRoot } from './handlers/initialize';
import { onInitialized, registerWorkspaceEvents, sendStatus } from './handlers/workspace-events';
import { createAdapters } from './languages';
import { ALL_RULES } from './rules';
import { SettingsStore } from './settings-store';
import { WorkspaceTrustedNotification, type InitializationOptions } from './protocol';
import { startWarmUp } from './handlers/warm-up';

declare const PERFLENS_VERSION: string | undefined;

export interface ServerOptions {
  /** Folder of the bundled WASM assets; undefined when running from sources. */
  assetDir?: string;
  /**
   * The worker script that indexes a large workspace off the server's thread (the CLI's
   * lint-worker.js, beside the server's bundle); without it the server's thread indexes.
   */
  indexWorkerScript?: string;
  /** Rules to run (tests swap in a failing rule to prove isolation). */
  rules?: readonly Rule[];
}

/** How long the index's changes must pause before the open documents are refreshed. */
const REVISION_REFRESH_MS = 300;

export function startServer(connection: Connection, options: ServerOptions = {}): ServerContext {
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.log(m);
  const version = typeof PERFLENS_VERSION === 'string' ? PERFLENS_VERSION : '0.0.0-dev';
  const engine = new Engine(options.rules ?? ALL_RULES, createAdapters(options.assetDir), log);
  const settings = new SettingsStore(connection, () => ctx.support.configuration, () => ctx.root, log);
  const index = new WorkspaceIndex(engine, log);
  // What the client supports is known at `initialize`; until then, assume nothing.
  const ctx: ServerContext = {
    connection,
    documents,
    engine,
    settings,
    analyzer: new DocumentAnalyzer(engine, settings, (file, facts) => index.recordAnalysis(file.path, file.text, facts), index),
    index,
    database: new DatabaseSession(),
    workspaceTrusted: true,
    databasePasswords: false,
    indexWorkers: options.indexWorkerScript ? { script: options.indexWorkerScript, assetDir: options.assetDir } : undefined,
    support: { pullDiagnostics: false, diagnosticRefresh: false, configuration: false, workDoneProgress: false, watchedFilesRegistration: false, showDocument: false },
    log,
  };

  let refresh: () => void = () => {};
  connection.onInitialize((params) => {
    ctx.support = clientSupport(params);
    ctx.root = workspaceRoot(params);
    // Says which copy runs: an installed VSIX, a development bundle, or sources.
    log(`PerfLens ${version} server started from ${options.assetDir ?? 'sources'}`);
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.storagePath === 'string' && init.storagePath) ctx.storagePath = init.storagePath;
    ctx.workspaceTrusted = init.workspaceTrusted !== false;
    ctx.databasePasswords = init.databasePasswords === true;
    sendStatus(ctx, { state: 'starting' });
    // Load the Python grammar while the client finishes starting.
    void engine.init();
    if (ctx.support.pullDiagnostics) registerPullDiagnostics(ctx);
    const push = ctx.support.pullDiagnostics ? undefined : registerPushDiagnostics(ctx);
    // A pull client re-pulls when asked, if it says it can; a refused or failed request is logged,
    // never left to reject unhandled (which would end the process).
    refresh = () => {
      if (push) push.refreshAll();
      else if (ctx.support.diagnosticRefresh) connection.languages.diagnostics.refresh().catch((e: Error) => log(`diagnostics refresh: ${e.message}`));
    };
    registerWorkspaceEvents(ctx, refresh);
    // Another file's models, helpers or routes changed (typed, or changed on disk): the open
    // documents' findings that read them are re-made, once the changes pause.
    let pending: NodeJS.Timeout | undefined;
    index.onRevision = () => {
      clearTimeout(pending);
      pending = setTimeout(refresh, REVISION_REFRESH_MS);
      pending.unref?.();
    };
    return initializeResult(ctx.support, version);
  });
  let stopWarmUp = (): void => {};
  let shuttingDown = false;
  connection.onInitialized(() => {
    // The warm-up waits for the index: both at once raised the server's peak memory on a
    // 10,000-file workspace from ~270 to ~390 MB.
    void onInitialized(ctx, refresh)
      .catch((e: Error) => log(`start-up failed: ${e.message}`))
      .then(() => {
        if (!shuttingDown) stopWarmUp = startWarmUp(ctx);
      });
  });
  documents.onDidClose((e) => {
    ctx.analyzer.forget(e.document.uri);
    ctx.settings.forget(e.document.uri);
  });
  registerCodeActions(ctx);
  registerCodeLenses(ctx);
  connection.onNotification(WorkspaceTrustedNotification, () => {
    ctx.workspaceTrusted = true;
  });
  registerDatabaseCommands();
  registerExecuteCommand(ctx);
  // The embedded database's child process must not outlive the server.
  connection.onShutdown(() => {
    shuttingDown = true;
    stopWarmUp();
    return ctx.database.closeAll();
  });
  documents.listen(connection);
  connection.listen();
  return ctx;
}
