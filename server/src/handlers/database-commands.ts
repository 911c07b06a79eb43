/**
 * `perflens.explain` and `perflens.benchmark` as executeCommand handlers, so that every LSP editor
 * can use them. Argument: `{ uri, position }` (the query at that position: SQL, or an ORM call
 * translated to SQL) or `{ sql, uri? }`, plus options (`analyze`, `params`, `allowWrites`, `runs`,
 * `concurrency`, `warmup`). The result is data: `sql` (for an ORM call, the SQL it issues),
 * `origin` (`sql` | `orm`), `description` for ORM calls, and `notes` (the translation's first, then
 * the database's); the client draws it. The embedded database runs in its own
 * process, never in this one.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Position, type WorkspaceEdit } from 'vscode-languageserver';
import type { Connector } from '../database/connector';
import type { ServerContext } from '../context';
import { defaultCacheDir } from '../database/cache-dir';
import { benchmarkQuery, concurrencyNotes, MAX_BENCHMARK_CONCURRENCY } from '../database/benchmark';
import { explainQuery, type ExplainResult } from '../database/explain';
import { compareBatch } from '../database/compare-batch';
import { compareCap } from '../database/compare-cap';
import { comparePagination } from '../database/compare-pagination';
import { suggestIndexes } from '../database/index-advisor';
import { indexMigration, type IndexMigration } from '../database/index-migration';
import { UntranslatableCall } from '../database/orm-sql/translation';
import { nodeLabel, selfCost, selfMs, type PlanNode } from '../database/plan-tree';
import { redactUrl } from '../database/redact-url';
import { needsPassword, withPassword } from '../database/credentials';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from '../database/database-errors';
import { UnsupportedDatabaseError } from '../database/open-database';
import {
  Commands,
  DatabasePasswordRequest,
  DatabaseProgressNotification,
  type DatabaseErrorData,
  type DatabasePasswordParams,
  type DatabasePasswordResult,
  type DatabaseProgressParams,
  type ExplainCommandResult,
  type IndexAdviceResult,
} from '../protocol';
import { pathToUri } from '../uri';
import { paginationAt, perItemQueryAt, unboundedReadAt, type CompareFixResult } from './compare-fix';
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
  /** compareFix: the page depths to measure (offset pagination), the numbers of items (N+1). */
  pages?: number[];
  sizes?: number[];
}

export function registerDatabaseCommands(): void {
  registerCommand(Commands.explain, async (ctx, args, token) => {
    const target = targetOf(args);
    const { sql, range, connector, notes, timeoutMs, query, release } = await prepare(ctx, target, token);
    try {
      progress(ctx, 'running EXPLAIN');
      const result = await run(connector, token, () => explainQuery(connector, sql, { analyze: target.analyze ?? true, params: target.params, allowWrites: target.allowWrites, timeoutMs }));
      return { ...explainForDisplay(result), raw: result.raw, range, origin: query.origin, description: query.description, notes: [...query.notes, ...notes] };
    } finally {
      release();
    }
  });
  registerCommand(Commands.compareFix, async (ctx, args, token) => {
    const target = targetOf(args);
    if (!target.uri || !target.position) throw new ResponseError(ErrorCodes.InvalidParams, 'expected { uri, position } of an offset-pagination, N+1 or unbounded-result-set finding');
    const isCancelled = () => !!token?.isCancellationRequested;
    // An unbounded read at the position: every row against the first page.
    const unbounded = await unboundedReadAt(ctx, target.uri, target.position);
    if (unbounded) {
      const { connector, notes, timeoutMs, release } = await prepare(ctx, { ...target, sql: unbounded.sql }, token);
      try {
        const comparison = await run(connector, token, () => compareCap(connector, unbounded.sql, { runs: target.runs, warmup: target.warmup, timeoutMs, isCancelled, onProgress: (m) => progress(ctx, m) }));
        return { kind: 'unbounded-result-set', sql: unbounded.sql, database: connector.description, range: unbounded.range, ...comparison, notes: [...unbounded.notes, ...notes, ...comparison.notes] } satisfies CompareFixResult;
      } finally {
        release();
      }
    }
    // An N+1 finding at the position: the per-item lookup against one batched query.
    const perItem = await perItemQueryAt(ctx, target.uri, target.position);
    if (perItem) {
      const { connector, notes, timeoutMs, release } = await prepare(ctx, { ...target, sql: perItem.sql }, token);
      try {
        const comparison = await run(connector, token, () => compareBatch(connector, perItem.sql, { sizes: target.sizes, timeoutMs, allowWrites: target.allowWrites, isCancelled, onProgress: (m) => progress(ctx, m) }));
        return { kind: 'n-plus-one', sql: perItem.sql, database: connector.description, range: perItem.range, ...comparison, notes: [...perItem.notes, ...notes, ...comparison.notes] } satisfies CompareFixResult;
      } finally {
        release();
      }
    }
    const found = await paginationAt(ctx, target.uri, target.position);
    const { connector, notes, timeoutMs, release } = await prepare(ctx, { ...target, sql: found.sql }, token);
    try {
      const comparison = await run(connector, token, () =>
        comparePagination(connector, found.variants, { runs: target.runs, warmup: target.warmup, pages: target.pages, timeoutMs, isCancelled, onProgress: (m) => progress(ctx, m) }),
      );
      return { kind: 'offset-pagination', sql: found.sql, database: connector.description, range: found.range, ...comparison, notes: [...notes, ...comparison.notes] } satisfies CompareFixResult;
    } finally {
      release();
    }
  });
  registerCommand(Commands.suggestIndex, async (ctx, args, token) => {
    const target = targetOf(args);
    const { sql, range, connector, notes, timeoutMs, query, release } = await prepare(ctx, target, token);
    let advice;
    try {
      progress(ctx, 'trying indexes');
      advice = await run(connector, token, () => suggestIndexes(connector, sql, { params: target.params, timeoutMs }));
    } finally {
      release();
    }
    const root = ctx.root;
    return {
      sql,
      range,
      method: advice.method,
      notes: [...query.notes, ...notes, ...advice.notes],
      before: { ...explainForDisplay(advice.before), range, notes: [] },
      suggestions: advice.tried.map((t) => {
        const migration = root ? indexMigration(root, t) : undefined;
        return {
          table: t.table,
          columns: t.columns,
          ddl: t.ddl,
          reason: t.reason,
          used: t.used,
          speedup: t.speedup,
          basis: t.basis,
          after: t.after && { ...explainForDisplay(t.after), range, notes: [] },
          migration: migration && { title: migration.title, edit: migrationEdit(migration) },
        };
      }),
    } satisfies IndexAdviceResult;
  });
  registerCommand(Commands.benchmark, async (ctx, args, token) => {
    const target = targetOf(args);
    // The command's own runs and concurrency (a client's prompt, a code lens), else the settings'.
    const asked = { runs: count(target.runs, 'runs'), concurrency: count(target.concurrency, 'concurrency') };
    const { sql, range, connector, notes, timeoutMs, query, settings, release } = await prepare(ctx, target, token);
    const runs = asked.runs ?? settings.database.benchmarkRuns;
    const concurrency = Math.min(asked.concurrency ?? settings.database.benchmarkConcurrency, MAX_BENCHMARK_CONCURRENCY);
    let reported = 0;
    const onProgress = (done: number, total: number) => {
      // A message per tenth of the runs is plenty for a progress bar.
      if (done === total || done - reported >= Math.max(1, Math.floor(total / 10))) {
        reported = done;
        progress(ctx, `benchmark: ${done}/${total} runs`);
      }
    };
    let result;
    try {
      result = await run(connector, token, () =>
        benchmarkQuery(connector, sql, { runs, concurrency, warmup: target.warmup, params: target.params, allowWrites: target.allowWrites, timeoutMs, onProgress }),
      );
    } finally {
      release();
    }
    // The note compares with what was asked, before the cap of MAX_BENCHMARK_CONCURRENCY.
    const askedConcurrency = asked.concurrency ?? settings.database.benchmarkConcurrency;
    return { ...result, range, origin: query.origin, description: query.description, notes: [...query.notes, ...notes, ...concurrencyNotes(askedConcurrency, result)] };
  });
}

function explainForDisplay(result: ExplainResult): Omit<ExplainCommandResult, 'range' | 'notes'> {
  const { raw: _raw, plan, ...rest } = result;
  return { ...rest, plan: { ...plan, root: forDisplay(plan.root) } };
}

/** A suggested index's place in the project, as an LSP workspace edit (a new file, or an insert). */
function migrationEdit(m: IndexMigration): WorkspaceEdit {
  const uri = pathToUri(m.file);
  const inserts = m.inserts.map((i) => ({ range: { start: i.position, end: i.position }, newText: i.text }));
  if (!m.create) return { changes: { [uri]: inserts } };
  return { documentChanges: [{ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } }, { textDocument: { uri, version: null }, edits: inserts }] };
}

/** The plan with what clients show beside each node: its label, and its own time and cost. */
function forDisplay(node: PlanNode): PlanNode {
  return { ...node, label: nodeLabel(node), selfMs: selfMs(node), selfCost: selfCost(node), children: node.children.map(forDisplay) };
}

/** A count the command was given (`runs`, `concurrency`): a whole number from 1, else an error. */
function count(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ResponseError(ErrorCodes.InvalidParams, `${name} must be a whole number of at least 1`);
  return value;
}

function targetOf(args: unknown[]): CommandTarget {
  const [first, second] = args as [unknown, unknown];
  const target = typeof first === 'string' ? { sql: first } : (first as CommandTarget | undefined);
  if (!target || typeof target !== 'object') throw new ResponseError(ErrorCodes.InvalidParams, 'expected { uri, position } or { sql }');
  return { ...(second && typeof second === 'object' ? (second as CommandTarget) : {}), ...target };
}

async function prepare(ctx: ServerContext, target: CommandTarget, token?: CancellationToken) {
  if (!ctx.workspaceTrusted) {
    throw failure(ErrorCodes.InvalidRequest, 'PerfLens does not connect to databases in an untrusted workspace; trust the workspace to run EXPLAIN and benchmarks.', 'untrusted-workspace');
  }
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
      if (e instanceof UntranslatableCall) throw failure(ErrorCodes.InvalidParams, e.message, 'no-query');
      throw e;
    }
    if (!found) throw failure(ErrorCodes.InvalidParams, 'no SQL statement or ORM call at this position', 'no-query');
    ({ sql, range } = found);
    query = { origin: found.origin, description: found.description, notes: found.notes ?? [] };
  }
  const settings = target.uri ? await ctx.settings.forDocument(target.uri) : await ctx.settings.forDocument(ctx.root ? pathToUri(ctx.root) : '');
  const root = ctx.root ?? process.cwd();
  const timeoutMs = settings.database.statementTimeoutMs;
  const url = await urlWithPassword(ctx, settings.database.url.trim());
  const lease = await run(undefined, undefined, () =>
    ctx.database.acquire({
      url,
      root,
      cacheDir: ctx.storagePath ?? defaultCacheDir(),
      dataSize: settings.database.dataSize,
      timeoutMs,
      // One pool per database for every command: as many connections as a benchmark may use
      // (opened only when used), whatever command opened it first.
      maxConnections: MAX_BENCHMARK_CONCURRENCY,
      onProgress: (m) => {
        ctx.log(`database: ${m}`);
        progress(ctx, m);
      },
      log: ctx.log,
      // Cancelling the command while the embedded database is built stops the build (the next command starts it again).
      isCancelled: () => !!token?.isCancellationRequested,
    }),
  );
  // The database is lent to this command: a schema change closes it only once `release` is called.
  return { sql, range, connector: lease.database.connector, notes: lease.database.notes, timeoutMs, query, settings, release: lease.release };
}

/** Asks the client for the password of a URL that names a user without one (VS Code keeps it in secret storage). */
async function urlWithPassword(ctx: ServerContext, url: string): Promise<string> {
  if (!url || !ctx.databasePasswords || !needsPassword(url)) return url;
  const answer = await ctx.connection
    .sendRequest<DatabasePasswordResult>(DatabasePasswordRequest, { url } satisfies DatabasePasswordParams)
    .catch(() => undefined);
  return answer?.password ? withPassword(url, answer.password) : url;
}

function progress(ctx: ServerContext, message: string): void {
  void ctx.connection.sendNotification(DatabaseProgressNotification, { message } satisfies DatabaseProgressParams);
}

function failure(code: number, message: string, reason: DatabaseErrorData['reason']): ResponseError<DatabaseErrorData> {
  return new ResponseError<DatabaseErrorData>(code, message, { reason });
}

function reasonOf(e: unknown, cancelled: boolean): DatabaseErrorData['reason'] {
  if (cancelled || e instanceof QueryCancelledError) return 'cancelled';
  if (e instanceof ReadOnlyError) return 'write-not-allowed';
  if (e instanceof QueryTimeoutError) return 'timeout';
  if (e instanceof UnsupportedDatabaseError) return 'unsupported-database';
  return 'failed';
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
    const cancelled = !!token?.isCancellationRequested;
    throw failure(cancelled ? LSPErrorCodes.RequestCancelled : ErrorCodes.InternalError, redactUrl((e as Error).message), reasonOf(e, cancelled));
  } finally {
    listener?.dispose();
  }
}
