/** `initialize`: what the client can do decides pull vs push diagnostics, settings and progress. */
import { CodeActionKind, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import type { ClientSupport } from '../context';
import { uriToPath } from '../uri';
import { FIX_ALL_KIND } from './code-actions';
import { commandIds } from './execute-command';

export function clientSupport(params: InitializeParams): ClientSupport {
  const caps = params.capabilities;
  return {
    pullDiagnostics: !!caps.textDocument?.diagnostic,
    diagnosticRefresh: !!caps.workspace?.diagnostics?.refreshSupport,
    configuration: !!caps.workspace?.configuration,
    workDoneProgress: !!caps.window?.workDoneProgress,
    watchedFilesRegistration: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    showDocument: !!caps.window?.showDocument?.support,
  };
}

export function workspaceRoot(params: InitializeParams): string | undefined {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  return folder ? uriToPath(folder) : params.rootPath ?? undefined;
}

export function initializeResult(support: ClientSupport, version: string): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      diagnosticProvider: support.pullDiagnostics ? { identifier: 'perflens', interFileDependencies: false, workspaceDiagnostics: false } : undefined,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: commandIds() },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'perflens', version },
  };
}
