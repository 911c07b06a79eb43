/** What the LSP handlers share: the connection, open documents, the engine, settings, the index. */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from './engine/analyze';
import type { WorkspaceIndex } from './engine/workspace-index';
import type { SettingsStore } from './settings-store';
import type { DocumentAnalyzer } from './document-analyzer';
import type { DatabaseSession } from './database/database-session';

export interface ClientSupport {
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh`: the client re-pulls the open documents' diagnostics when asked. */
  diagnosticRefresh: boolean;
  configuration: boolean;
  workDoneProgress: boolean;
  watchedFilesRegistration: boolean;
  showDocument: boolean;
}

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  engine: Engine;
  settings: SettingsStore;
  analyzer: DocumentAnalyzer;
  index: WorkspaceIndex;
  support: ClientSupport;
  /** Workspace root folder (file system path), if the client opened one. */
  root?: string;
  /** Databases opened for EXPLAIN and benchmarks. */
  database: DatabaseSession;
  /** Folder the client gives for caches (`initializationOptions.storagePath`: VS Code's global storage). */
  storagePath?: string;
  /** False in an untrusted workspace (the client says so): no database work then. */
  workspaceTrusted: boolean;
  /** The client answers `perflens/databasePassword`. */
  databasePasswords: boolean;
  /** Worker threads for indexing a large workspace: the script and where its WASM assets are. */
  indexWorkers?: { script: string; assetDir?: string };
  log(message: string): void;
}
