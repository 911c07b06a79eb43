/** The VS Code side: starts the PerfLens language server and shows its state. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  DatabasePasswordRequest,
  DatabaseProgressNotification,
  StatusNotification,
  WorkspaceTrustedNotification,
  type DatabasePasswordParams,
  type DatabaseProgressParams,
  SERVER_PROCESS,
  type InitializationOptions,
  type StatusParams,
} from '../../server/src/protocol';
import { DatabasePicker } from './database-picker';
import { QueryCommands } from './query-commands';
import { QueryResults, SHOW_PLAN_COMMAND } from './query-results';
import { StatusBar } from './status-bar';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'sql'];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('PerfLens', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    // The environment is merged into the extension host's (vscode-languageclient's getEnvironment).
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_PROCESS.execArgv], env: { ...SERVER_PROCESS.env } } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_PROCESS.execArgv, '--nolazy', '--inspect=6011'], env: { ...SERVER_PROCESS.env } } },
  };
  const documentSelector = [
    ...LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // schema.prisma: the Prisma extension names its language `prisma`; without it the file is plain text.
    { scheme: 'file', pattern: '**/*.prisma' },
  ];
  const results = new QueryResults(documentSelector);
  const database = new DatabasePicker(context.secrets);
  const queries = new QueryCommands(() => client, results);
  context.subscriptions.push(results, database);
  const initializationOptions: InitializationOptions = {
    storagePath: context.globalStorageUri.fsPath,
    workspaceTrusted: vscode.workspace.isTrusted,
    databasePasswords: true,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    synchronize: { configurationSection: 'perflens' },
    initializationOptions,
    // "Explain Query" and "Benchmark Query" are the server's commands; from the palette they get the
    // query at the cursor, progress with Cancel, and their results drawn in the editor.
    middleware: { executeCommand: (command, args, next) => (QueryCommands.handles(command) ? queries.run(command, args) : next(command, args)) },
  };
  client = new LanguageClient('perflens', 'PerfLens', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(StatusNotification, (params: StatusParams) => status.update(params)),
    client.onNotification(DatabaseProgressNotification, (params: DatabaseProgressParams) => queries.progress(params.message)),
    client.onRequest(DatabasePasswordRequest, (params: DatabasePasswordParams) => database.password(params)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(WorkspaceTrustedNotification)),
    vscode.commands.registerCommand('perflens.selectDatabase', () => database.select()),
    vscode.commands.registerCommand('perflens.benchmarkWithOptions', () => queries.benchmarkWithOptions()),
    vscode.commands.registerCommand(SHOW_PLAN_COMMAND, (target?: { uri: string; line: number; character: number }) => results.showPlanAt(target)),
    vscode.commands.registerCommand('perflens.clearResults', () => results.clear()),
    vscode.commands.registerCommand('perflens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('perflens.restartServer', async () => {
      status.update({ state: 'starting' });
      await client?.restart();
    }),
  );
  try {
    await client.start();
  } catch (e) {
    status.update({ state: 'error', message: (e as Error).message });
    output.appendLine(`PerfLens server failed to start: ${(e as Error).message}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
