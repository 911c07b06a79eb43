/**
 * "PerfLens: Explain Query" and "PerfLens: Benchmark Query" in VS Code. The commands are the
 * server's (`perflens.explain`, `perflens.benchmark`, so every LSP editor has them); here they get
 * the query at the cursor when run from the palette, a progress notification with Cancel that
 * cancels the request (and the statement on the database), a confirmation before a write is
 * measured, and their results drawn inline and in the plan view.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, type BenchmarkCommandResult, type DatabaseErrorData, type ExplainCommandResult } from '../../server/src/protocol';
import type { QueryResults } from './query-results';

interface Target {
  uri?: string;
  position?: { line: number; character: number };
  sql?: string;
  allowWrites?: boolean;
  [option: string]: unknown;
}

export class QueryCommands {
  private reporter: vscode.Progress<{ message?: string }> | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly results: QueryResults,
  ) {}

  static handles(command: string): boolean {
    return command === Commands.explain || command === Commands.benchmark;
  }

  /** A message from the server about the command in progress (building the embedded database, runs done). */
  progress(message: string): void {
    this.reporter?.report({ message });
  }

  async run(command: string, args: unknown[]): Promise<unknown> {
    const client = this.client();
    if (!client?.isRunning()) {
      void vscode.window.showErrorMessage('PerfLens: the language server is not running; see "PerfLens: Show Output".');
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('PerfLens does not run queries in an untrusted workspace. Trust the workspace to use EXPLAIN and benchmarks.');
      return undefined;
    }
    const target = this.target(client, args);
    if (!target) return undefined;
    const explain = command === Commands.explain;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: explain ? 'PerfLens: Explain Query' : 'PerfLens: Benchmark Query', cancellable: true },
      async (progress, token) => {
        this.reporter = progress;
        try {
          const result = await this.send(client, command, target, token);
          if (!result) return undefined;
          this.results.add(target.uri ?? '', result.range, explain ? { explain: result as ExplainCommandResult } : { benchmark: result as BenchmarkCommandResult });
          this.results.showPlan();
          return result;
        } finally {
          this.reporter = undefined;
        }
      },
    );
  }

  /** The arguments given (a code lens, another extension), or the query under the cursor. */
  private target(client: LanguageClient, args: unknown[]): Target | undefined {
    const [first, second] = args;
    if (typeof first === 'string') return { sql: first, ...(second as object) };
    if (first && typeof first === 'object') return { ...(second as object), ...(first as Target) };
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('PerfLens: put the cursor on a SQL query in an editor, then run the command again.');
      return undefined;
    }
    return { uri: editor.document.uri.toString(), position: client.code2ProtocolConverter.asPosition(editor.selection.active) };
  }

  private async send(client: LanguageClient, command: string, target: Target, token: vscode.CancellationToken): Promise<(ExplainCommandResult | BenchmarkCommandResult) | undefined> {
    try {
      return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [target] }, token);
    } catch (e) {
      if (token.isCancellationRequested) return undefined;
      const reason = e instanceof ResponseError ? (e.data as DatabaseErrorData | undefined)?.reason : undefined;
      if (reason === 'write-not-allowed' && !target.allowWrites) {
        const run = 'Run and Roll Back';
        const answer = await vscode.window.showWarningMessage(
          'This statement writes. PerfLens can run it inside a transaction that is rolled back, so nothing is kept. Run it?',
          { modal: true },
          run,
        );
        return answer === run ? this.send(client, command, { ...target, allowWrites: true }, token) : undefined;
      }
      const message = (e as Error).message;
      const actions = reason === 'no-query' ? [] : ['Select Database', 'Show Output'];
      void vscode.window.showErrorMessage(`PerfLens: ${message}`, ...actions).then((action) => {
        if (action === 'Select Database') void vscode.commands.executeCommand('perflens.selectDatabase');
        if (action === 'Show Output') void vscode.commands.executeCommand('perflens.showOutput');
      });
      return undefined;
    }
  }
}
