/**
 * `perflens.explain` and `perflens.benchmark` as executeCommand handlers, so that every LSP editor
 * can use them. Argument: `{ uri, position }` (the query at that position: SQL, or an ORM call
 * translated to SQL) or `{ sql, uri? }`, plus options (`analyze`, `params`, `allowWrites`, `runs`,
 * `concurrency`, `warmup`). The result is data: `sql` (for an ORM call, the SQL it issues),
 * `origin` (`sql` | `orm`), `description` for ORM calls, and `notes` (the translation's first, then
 * the database's); the client draws it. The embedded database runs in its own
 * process, never in this one.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Position } from 'vscode-languageserver';
import type { Connector } from '../database/connector';
import type { ServerContext } from '../context';
import { defaultCacheDir } from '../database/cache-dir';
import { benchmarkQuery } from '../database/benchmark';
import { explainQuery } from '../database/explain';
import { UntranslatableCall } from '../database/orm-sql/translation';
import { redactUrl } from '../database/redact-url';
import { Commands } from '../protocol';
import { pathToUri } from '../uri';
import { registerCommand } from './execute-command';
import { sqlAtPosition } from './sql-at-position';

interface CommandTarget {
  uri?: string;
  position?: Position;
  sql?: string;
  analyze?: boolean;
  params?: unknown[];
  allowWrites?: boolean;
  runs?: number;
  concurrency?: number;
  warmup?: number;
}

export function registerDatabaseCommands(): void {
  registerCommand(Commands.explain, async (ctx, args, token) => {
    const target = targetOf(args);
    const { sql, range, connector, notes, timeoutMs, query } = await prepare(ctx, target);
    const result = await run(connector, token, () => explainQuery(connector, sql, { analyze: target.analyze ?? true, params: target.params, allowWrites: target.allowWrites, timeoutMs }));
    const { raw, ...rest } = result;
    return { ...rest, raw, range, origin: query.origin, description: query.description, notes: [...query.notes, ...notes] };
  });
  registerCommand(Commands.benchmark, async (ctx, args, token) => {
    const target = targetOf(args);
    const { sql, range, connector, notes, timeoutMs, query } = await prepare(ctx, target);
    const result = await run(connector, token, () =>
      benchmarkQuery(connector, sql, { runs: target.runs, concurrency: target.concurrency, warmup: target.warmup, params: target.params, allowWrites: target.allowWrites, timeoutMs }),
    );
    return { ...result, range, origin: query.origin, description: query.description, notes: [...query.notes, ...notes] };
  });
}

function targetOf(args: unknown[]): CommandTarget {
  const [first, second] = args as [unknown, unknown];
  const target = typeof first === 'string' ? { sql: first } : (first as CommandTarget | undefined);
  if (!target || typeof target !== 'object') throw new ResponseError(ErrorCodes.InvalidParams, 'expected { uri, position } or { sql }');
  return { ...(second && typeof second === 'object' ? (second as CommandTarget) : {}), ...target };
}

async function prepare(ctx: ServerContext, target: CommandTarget) {
  let sql = target.sql;
  let range: { start: Position; end: Position } | undefined;
  // Where the SQL came from; for an ORM call also what it is and what the translation assumed.
  let query: { origin: 'sql' | 'orm'; description?: string; notes: string[] } = { origin: 'sql', notes: [] };
  if (!sql) {
    if (!target.uri || !target.position) throw new ResponseError(ErrorCodes.InvalidParams, 'expected { uri, position } or { sql }');
    let found;
    try {
      found = await sqlAtPosition(ctx, target.uri, target.position);
    } catch (e) {
      if (e instanceof UntranslatableCall) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
    if (!found) throw new ResponseError(ErrorCodes.InvalidParams, 'no SQL statement or ORM call at this position');
    ({ sql, range } = found);
    query = { origin: found.origin, description: found.description, notes: found.notes ?? [] };
  }
  const settings = target.uri ? await ctx.settings.forDocument(target.uri) : await ctx.settings.forDocument(ctx.root ? pathToUri(ctx.root) : '');
  const root = ctx.root ?? process.cwd();
  const timeoutMs = settings.database.statementTimeoutMs;
  const opened = await run(undefined, undefined, () =>
    ctx.database.get({
      url: settings.database.url,
      root,
      cacheDir: ctx.storagePath ?? defaultCacheDir(),
      dataSize: settings.database.dataSize,
      timeoutMs,
      maxConnections: Math.max(2, target.concurrency ?? 1),
      onProgress: (m) => ctx.log(`database: ${m}`),
      log: ctx.log,
    }),
  );
  return { sql, range, connector: opened.connector, notes: opened.notes, timeoutMs, query };
}

/**
 * Runs a database call: a cancelled request cancels what the connector is running, and failures
 * become request errors whose message never carries a password.
 */
async function run<T>(connector: Connector | undefined, token: CancellationToken | undefined, body: () => Promise<T>): Promise<T> {
  const listener = connector && token?.onCancellationRequested(() => void connector.cancel().catch(() => {}));
  try {
    return await body();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    throw new ResponseError(token?.isCancellationRequested ? LSPErrorCodes.RequestCancelled : ErrorCodes.InternalError, redactUrl((e as Error).message));
  } finally {
    listener?.dispose();
  }
}
