/**
 * `perflens explain` and `perflens bench`: open the database (a URL, or the embedded one built
 * from --schema), run, print, close. Exit 0 on success, 1 when the database fails the statement.
 */
import { benchmarkQuery, concurrencyNotes, MAX_BENCHMARK_CONCURRENCY } from '../database/benchmark';
import type { Connector } from '../database/connector';
import { explainQuery } from '../database/explain';
import { openDatabase } from '../database/open-database';
import { redactUrl } from '../database/redact-url';
import { defaultCacheDir } from '../database/cache-dir';
import { UsageError } from './argv';
import { parseDatabaseArgs, positiveInt, type DatabaseArgs } from './database-args';
import { benchJson, benchText, explainJson, explainText } from './format-plan';

/**
 * `perflens explain|bench …` → exit code, usage errors included. The CLI loads this module (and
 * the database drivers behind it) only for these commands: `perflens lint` never pays for them.
 */
export async function databaseCommand(command: 'explain' | 'bench', argv: string[]): Promise<number> {
  try {
    return await (command === 'explain' ? explainCommand(argv) : benchCommand(argv));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`perflens: ${e.message}\n`);
    return 2;
  }
}

export const EXPLAIN_FLAGS = { '--no-analyze': false };
export const BENCH_FLAGS = { '--runs': true, '--concurrency': true, '--warmup': true };

export async function explainCommand(argv: string[]): Promise<number> {
  const args = parseDatabaseArgs(argv, EXPLAIN_FLAGS);
  const query = await statementOf(args);
  return withDatabase(args, 1, async (connector, notes) => {
    const result = await explainQuery(connector, query.sql, { analyze: !args.extra.has('--no-analyze'), allowWrites: args.allowWrites, timeoutMs: args.timeoutMs });
    process.stdout.write(args.format === 'json' ? explainJson(result, [...query.notes, ...notes], query.from) : explainText(result, [...query.notes, ...notes], query.from));
  });
}

/**
 * The statement to run: the one given, or the one `--at FILE:LINE` points at (an ORM call there
 * translated), with where it came from for the output. The translation's refusal is a usage error:
 * it says what cannot be translated.
 */
async function statementOf(args: DatabaseArgs): Promise<{ sql: string; notes: string[]; from?: { where: string; description?: string } }> {
  if (!args.at) return { sql: args.sql, notes: [] };
  // Loaded here only: the parsers and translators behind it are not needed for a statement given as text.
  const { queryAt } = require('./query-at') as typeof import('./query-at');
  try {
    const q = await queryAt(args.root, args.at, (m: string) => process.stderr.write(`perflens: ${m}\n`));
    return { sql: q.sql, notes: q.notes, from: { where: q.where, ...(q.description ? { description: q.description } : {}) } };
  } catch (e) {
    if ((e as Error).name === 'UntranslatableCall') throw new UsageError((e as Error).message);
    throw e;
  }
}

export async function benchCommand(argv: string[]): Promise<number> {
  const args = parseDatabaseArgs(argv, BENCH_FLAGS);
  const number = (flag: string, fallback: number): number => {
    const v = args.extra.get(flag);
    return typeof v === 'string' ? positiveInt(flag, v) : fallback;
  };
  const runs = number('--runs', args.benchmark.runs);
  const askedConcurrency = number('--concurrency', args.benchmark.concurrency);
  const concurrency = Math.min(askedConcurrency, MAX_BENCHMARK_CONCURRENCY);
  const warmup = args.extra.get('--warmup') === '0' ? 0 : number('--warmup', 5);
  const query = await statementOf(args);
  return withDatabase(args, concurrency, async (connector, notes) => {
    const result = await benchmarkQuery(connector, query.sql, { runs, concurrency, warmup, allowWrites: args.allowWrites, timeoutMs: args.timeoutMs });
    const all = [...query.notes, ...notes, ...concurrencyNotes(askedConcurrency, result)];
    process.stdout.write(args.format === 'json' ? benchJson(result, all, query.from) : benchText(result, all, query.from));
  });
}

async function withDatabase(args: DatabaseArgs, connections: number, body: (connector: Connector, notes: string[]) => Promise<void>): Promise<number> {
  let connector: Connector | undefined;
  try {
    const opened = await openDatabase({
      url: args.url,
      root: args.root,
      cacheDir: defaultCacheDir(),
      dataSize: args.dataSize,
      timeoutMs: args.timeoutMs,
      maxConnections: Math.max(2, connections),
      // Building the embedded database takes a while the first time: say what is happening.
      onProgress: (m) => process.stderr.write(`perflens: ${m}\n`),
    });
    connector = opened.connector;
    await body(connector, opened.notes);
    return 0;
  } catch (e) {
    // Messages may quote the connection string: never print a password.
    process.stderr.write(`perflens: ${redactUrl((e as Error).message)}\n`);
    return 1;
  } finally {
    await connector?.close().catch(() => {});
  }
}
