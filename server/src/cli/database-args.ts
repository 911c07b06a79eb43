/**
 * Options shared by `perflens explain` and `perflens bench`, and where the database URL comes from:
 * `--db`, then PERFLENS_DATABASE_URL, then `database.url` in `.perflens.json`; none: embedded.
 */
import { mergeSettings, readConfigFile } from '../engine/config';
import { UsageError, walkArgs } from './argv';

export interface DatabaseArgs {
  url?: string;
  root: string;
  format: 'text' | 'json';
  dataSize: number;
  timeoutMs: number;
  allowWrites: boolean;
  /** The statement as given; empty with `at`. */
  sql: string;
  /** `--at FILE:LINE[:COLUMN]`: the query written there (SQL, or an ORM call translated), instead of `sql`. */
  at?: { file: string; line: number; column?: number };
  /** `perflens bench`'s runs and concurrency when no flag gives them (.perflens.json, else 50 and 1). */
  benchmark: { runs: number; concurrency: number };
  /** Command-specific flags and their values (`--runs 20` → runs: '20'). */
  extra: Map<string, string | true>;
}

/** Flags each command adds: name → whether it takes a value. */
export type ExtraFlags = Record<string, boolean>;

export function parseDatabaseArgs(argv: string[], extraFlags: ExtraFlags, env: NodeJS.ProcessEnv = process.env): DatabaseArgs {
  let db: string | undefined;
  let root = '.';
  let format: 'text' | 'json' = 'text';
  let dataSize: number | undefined;
  let timeoutMs: number | undefined;
  let allowWrites = false;
  let at: DatabaseArgs['at'];
  const extra = new Map<string, string | true>();
  const positional: string[] = [];
  walkArgs(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--db':
          db = value();
          return true;
        case '--schema':
        case '--root':
          root = value();
          return true;
        case '--format': {
          const f = value();
          if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format "${f}" (text or json)`);
          format = f;
          return true;
        }
        case '--data-size':
          dataSize = positiveInt(flag, value());
          return true;
        case '--timeout':
          timeoutMs = positiveInt(flag, value());
          return true;
        case '--allow-writes':
          allowWrites = true;
          return true;
        case '--at': {
          const spec = value();
          const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(spec);
          if (!m || Number(m[2]) < 1) throw new UsageError(`--at takes FILE:LINE or FILE:LINE:COLUMN (1-based), not "${spec}"`);
          at = { file: m[1], line: Number(m[2]), ...(m[3] ? { column: Math.max(1, Number(m[3])) } : {}) };
          return true;
        }
        default:
          if (!(flag in extraFlags)) return false;
          extra.set(flag, extraFlags[flag] ? value() : true);
          return true;
      }
    },
    (arg) => positional.push(arg),
  );
  if (at ? positional.length !== 0 : positional.length !== 1) {
    throw new UsageError(at ? 'give either the SQL statement or --at, not both' : positional.length === 0 ? 'give the SQL statement as one argument (quote it), or --at FILE:LINE' : 'give the SQL statement as one quoted argument');
  }
  const settings = mergeSettings(readConfigFile(root));
  return {
    url: db ?? (env.PERFLENS_DATABASE_URL || undefined) ?? (settings.database.url || undefined),
    root,
    format,
    dataSize: dataSize ?? settings.database.dataSize,
    timeoutMs: timeoutMs ?? settings.database.statementTimeoutMs,
    allowWrites,
    sql: positional[0] ?? '',
    ...(at ? { at } : {}),
    benchmark: { runs: settings.database.benchmarkRuns, concurrency: settings.database.benchmarkConcurrency },
    extra,
  };
}

export function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number, not "${text}"`);
  return n;
}
