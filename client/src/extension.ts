/** The VS Code side: starts the PerfLens language server and shows its state. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { StatusBar } from './status-bar';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'sql'];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('PerfLens', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    synchronize: { configurationSection: 'perflens' },
  };
  client = new LanguageClient('perflens', 'PerfLens', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(StatusNotification, (params: StatusParams) => status.update(params)),
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
