/**
 * `perflens` command line over the same engine as the language server:
 *   perflens lint [--root DIR] [--format text|json|sarif] [--fix] [--unsafe-fixes] [--rule ID]… [paths…]
 *   perflens explain [--db URL] [--schema DIR] [--format text|json] "<sql>"
 *   perflens bench [--db URL] [--schema DIR] [--runs N] [--concurrency N] "<sql>"
 * Exit 0 without error-severity findings (or on success), 1 with (or when the database fails), 2 on usage errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULE_META } from './rules/meta';
import type { FixMode } from './engine/fix-selection';
import { formatJson } from './cli/format-json';
import { formatSarif } from './cli/format-sarif';
import { detectStyle, formatText } from './cli/format-text';
import { lintFiles } from './cli/lint-files';
import { defaultCacheDir } from './database/cache-dir';
import { UsageError, walkArgs } from './cli/argv';
// A lint worker requires the bundle's loader by this file's name (workers/code-cache.ts).
export { requireWithCodeCache } from './workers/code-cache';

declare const PERFLENS_VERSION: string | undefined;
const VERSION = typeof PERFLENS_VERSION === 'string' ? PERFLENS_VERSION : '0.0.0-dev';

const HELP = `Usage: perflens lint [options] [paths...]
       perflens explain [options] ("<sql>" | --at FILE:LINE[:COLUMN])
       perflens bench [options] ("<sql>" | --at FILE:LINE[:COLUMN])

Finds backend performance anti-patterns in JS/TS, Python and SQL; explains and benchmarks queries.

Options of lint:
  --root DIR            workspace root: settings (.perflens.json) and cross-file knowledge (default: .)
  --format FORMAT       text (default), json or sarif
  --fix                 apply safe fixes and write the files
  --unsafe-fixes        with --fix, also apply fixes that change behaviour
  --rule ID             only this rule (repeatable)
  --no-cache            neither read nor write the cache of per-file results (in the user's cache
                        folder: PERFLENS_CACHE_DIR, else ~/.cache/perflens; V8's compiled code of
                        PerfLens itself is kept there either way)
  --jobs N              worker threads (default: one per core when there are enough files; 1: none)
  -h, --help            show this help
  -v, --version         show the version

Options of explain and bench:
  --at FILE:LINE[:COL]  the query written there, instead of "<sql>": a statement of a .sql file, SQL
                        in a string, or the ORM call there translated to the SQL it sends (with the
                        models of --schema's workspace)
  --db URL              postgres://… (else PERFLENS_DATABASE_URL, else database.url in .perflens.json;
                        none: the embedded PostgreSQL built from the schema of --schema)
  --schema DIR          workspace whose .sql DDL, prisma/migrations and schema.prisma define the
                        embedded database, and whose .perflens.json is read (default: .)
  --format FORMAT       text (default) or json
  --data-size N         rows for the biggest tables of the embedded database (default: 100000)
  --timeout MS          statement timeout (default: 10000)
  --allow-writes        let the statement write (it is rolled back all the same)
  --no-analyze          explain: plan only, without running the statement
  --runs N              bench: timed runs (default: database.benchmarkRuns in .perflens.json,
                        else 50)
  --concurrency N       bench: runs at a time, each on its own connection, at most 32 (default:
                        database.benchmarkConcurrency, else 1; the embedded database and SQLite
                        run one at a time)
  --warmup N            bench: untimed runs first (default: 5)

Rules: ${ALL_RULE_META.map((r) => r.id).join(', ')}
`;


/**
 * What identifies this build in the cache key: the version and the bundle's size and time, or
 * from sources the compiled files' (a changed rule must not be answered from an old cache).
 */
function buildId(bundled: boolean): string {
  const stamp = (f: string): string => {
    const s = fs.statSync(f);
    return `${f}:${s.size}:${s.mtimeMs}`;
  };
  if (bundled) return `${VERSION}:${stamp(__filename)}`;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) files.push(stamp(p));
    }
  };
  walk(__dirname);
  return `${VERSION}:${files.sort().join('|')}`;
}

interface LintArgs {
  root: string;
  format: 'text' | 'json' | 'sarif';
  fix?: FixMode;
  rules: string[];
  paths: string[];
  cache: boolean;
  jobs?: number;
}

function parseLintArgs(argv: string[]): LintArgs {
  const args: LintArgs = { root: '.', format: 'text', rules: [], paths: [], cache: true };
  let fix = false;
  let unsafe = false;
  walkArgs(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--root':
          args.root = value();
          return true;
        case '--format': {
          const f = value();
          if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}" (text, json or sarif)`);
          args.format = f;
          return true;
        }
        case '--fix':
          fix = true;
          return true;
        case '--unsafe-fixes':
          unsafe = true;
          return true;
        case '--rule':
          args.rules.push(value());
          return true;
        case '--no-cache':
          args.cache = false;
          return true;
        case '--jobs': {
          const n = Number(value());
          if (!Number.isInteger(n) || n < 1) throw new UsageError('--jobs needs a whole number of at least 1');
          args.jobs = n;
          return true;
        }
        default:
          return false;
      }
    },
    (arg) => args.paths.push(arg),
  );
  if (unsafe && !fix) throw new UsageError('--unsafe-fixes only goes with --fix');
  if (fix) args.fix = unsafe ? 'unsafe' : 'safe';
  const known = new Set(ALL_RULE_META.map((r) => r.id));
  for (const r of args.rules) if (!known.has(r)) throw new UsageError(`unknown rule "${r}"; known rules: ${[...known].join(', ')}`);
  if (!fs.existsSync(args.root) || !fs.statSync(args.root).isDirectory()) throw new UsageError(`--root ${args.root} is not a folder`);
  for (const p of args.paths) if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  return args;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(HELP);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'explain' || command === 'bench') {
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write(HELP);
      return 0;
    }
    // Its own bundle once built (see scripts/bundle.mjs): the drivers load only for these commands.
    // `require`, not `import()`: importing CommonJS runs Node's export scanner over the whole bundle.
    const { databaseCommand } = require('./cli/database-commands.js') as typeof import('./cli/database-commands.js');
    return databaseCommand(command, rest);
  }
  if (command !== 'lint') {
    process.stderr.write(`perflens: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('-h') || options.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  let args: LintArgs;
  try {
    args = parseLintArgs(rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`perflens: ${e.message}\n`);
    return 2;
  }
  const bundled = path.basename(__filename) === 'cli.js' && fs.existsSync(path.join(__dirname, 'tree-sitter-python.wasm'));
  const results = await lintFiles(args.root, args.paths, {
    only: args.rules.length ? new Set(args.rules) : undefined,
    fix: args.fix,
    assetDir: bundled ? __dirname : undefined,
    jobs: args.jobs,
    cache: args.cache ? undefined : false,
    build: buildId(bundled),
    // Compiled code, not results: kept with or without --no-cache (as Node 22's compile cache).
    codeCache: path.join(defaultCacheDir(), 'v8'),
  });
  const output =
    args.format === 'json' ? formatJson(results) : args.format === 'sarif' ? formatSarif(results, ALL_RULE_META, VERSION) : formatText(results, detectStyle(process.stdout));
  // stdout carries the report alone (JSON and SARIF are piped into other tools); notes go to stderr.
  for (const s of results.skipped) process.stderr.write(`perflens: ${s.file}: skipped (${s.reason})\n`);
  if (args.format !== 'text' && results.fixesApplied) process.stderr.write(`perflens: applied ${results.fixesApplied} fix${results.fixesApplied === 1 ? '' : 'es'}\n`);
  process.stdout.write(output);
  return results.files.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** Runs with the process's arguments and sets the exit code (the `bin` entry calls this). */
export function run(argv: string[] = process.argv.slice(2)): Promise<void> {
  // `perflens lint | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`perflens: ${e.stack ?? e.message}\n`);
      process.exitCode = 2;
    },
  );
}

// `node server/out/cli.js lint …` works too, not only through bin/perflens.js.
if (require.main === module) void run();
