/**
 * `workspace/executeCommand`: a registry of command handlers, so that later features (explain,
 * benchmark) add a handler, not a branch. Unknown commands are an error, not a silent no-op.
 */
import { ResponseError, ErrorCodes, type CancellationToken, type TextEdit } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import { docsUrl } from '../engine/rule';
import { Commands } from '../protocol';

/** `token` is the request's: a client that cancels (`$/cancelRequest`) stops long commands. */
export type CommandHandler = (ctx: ServerContext, args: unknown[], token?: CancellationToken) => Promise<unknown>;

const handlers = new Map<string, CommandHandler>();

export function registerCommand(id: string, handler: CommandHandler): void {
  handlers.set(id, handler);
}

export function commandIds(): string[] {
  return [...handlers.keys()];
}

/** `perflens.applyFix(uri, version, edits)`: applies a fix's edits if the document is still at that version. */
registerCommand(Commands.applyFix, async (ctx, args) => {
  const [uri, version, edits] = args as [string, number, TextEdit[]];
  const doc = ctx.documents.get(uri);
  if (!doc || doc.version !== version || !Array.isArray(edits)) return { applied: false, reason: 'the document changed since the fix was computed' };
  const result = await ctx.connection.workspace.applyEdit({ label: 'PerfLens fix', edit: { changes: { [uri]: edits } } });
  return { applied: result.applied };
});

/** `perflens.showDocumentation(ruleId)`: opens the rule's page; returns its URL for clients that cannot. */
registerCommand(Commands.showDocumentation, async (ctx, args) => {
  const ruleId = String(args[0] ?? '');
  if (!ctx.engine.rule(ruleId)) throw new ResponseError(ErrorCodes.InvalidParams, `unknown rule ${ruleId}`);
  const url = docsUrl(ruleId);
  if (ctx.support.showDocument) {
    // Never window/showMessageRequest: some clients (headless Neovim) block on it.
    await ctx.connection.window.showDocument({ uri: url, external: true });
  }
  return { url };
});

export function registerExecuteCommand(ctx: ServerContext): void {
  ctx.connection.onExecuteCommand(async (params, token) => {
    const handler = handlers.get(params.command);
    if (!handler) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
    return handler(ctx, params.arguments ?? [], token);
  });
}
