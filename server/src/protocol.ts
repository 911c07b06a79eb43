/**
 * The one module shared by client and server: command ids, custom LSP methods, the settings
 * shape and how the server's process is started. Nothing else crosses the boundary.
 */

export type RuleSeverity = 'error' | 'warning' | 'info' | 'hint' | 'off';

/** `perflens.*` settings (and the same keys in `.perflens.json`). */
export interface PerflensSettings {
  enable: boolean;
  /** Per-rule severity override, or `off`. */
  rules: Record<string, RuleSeverity>;
  /** Globs (relative to the workspace root) of files to analyse; empty means all supported files. */
  include: string[];
  /** Globs of files to skip, on top of .gitignore, node_modules, virtualenvs and build output. */
  exclude: string[];
  /** Severity for findings in tests, migrations and seed scripts, which are not request paths. */
  nonRequestPathSeverity: RuleSeverity;
  /** "Explain · Benchmark" code lenses above the queries PerfLens can run. */
  codeLens: boolean;
  /** Models or tables that stay small by nature (lookup tables): unbounded-result-set does not report reads of every row of them, nor unindexed-filter their filters. */
  smallTables: string[];
  database: {
    /** Connection URL (postgres://, mysql://, sqlite:). Empty: the embedded PostgreSQL. Passwords belong in SecretStorage. */
    url: string;
    /** Rows generated for the biggest table of the embedded database. */
    dataSize: number;
    /** Statement timeout for EXPLAIN and benchmarks, in milliseconds. */
    statementTimeoutMs: number;
    /** Timed runs of a benchmark, unless the command says otherwise. */
    benchmarkRuns: number;
    /** Runs of a benchmark at a time (on as many connections), unless the command says otherwise. */
    benchmarkConcurrency: number;
  };
}

export const DEFAULT_SETTINGS: PerflensSettings = {
  enable: true,
  rules: {},
  include: [],
  exclude: [],
  nonRequestPathSeverity: 'hint',
  codeLens: true,
  smallTables: [],
  database: { url: '', dataSize: 100_000, statementTimeoutMs: 10_000, benchmarkRuns: 50, benchmarkConcurrency: 1 },
};

export const Commands = {
  explain: 'perflens.explain',
  benchmark: 'perflens.benchmark',
  compareFix: 'perflens.compareFix',
  /** Tries the indexes a query's plan asks for (embedded copy, or HypoPG) and says where each would go. */
  suggestIndex: 'perflens.suggestIndex',
  selectDatabase: 'perflens.selectDatabase',
  /** Applies a finding's fix (used by code actions that need the server to compute edits). */
  applyFix: 'perflens.applyFix',
  showDocumentation: 'perflens.showDocumentation',
} as const;

/** Server → client notification: analysis state for the status bar. */
export const StatusNotification = 'perflens/status';

export interface StatusParams {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  /** Files indexed so far / in all, while indexing. */
  done?: number;
  total?: number;
  message?: string;
}

/**
 * How a client starts the server's process (`node server.js`), for its memory: the language server
 * lives as long as the editor, so it keeps to a small footprint rather than to the fastest
 * allocation. A young generation of 4 MB semi-spaces (V8's default is 16 MB) collects more often,
 * each time in less time (the p95 of re-linting a large file after an edit dropped from ~20 to ~14
 * ms). Without V8's allocation-site pretenuring: after the warm-up and the first edits V8 saw the
 * parsers' and fact builders' objects survive and allocated them straight into the old generation,
 * where each edit's garbage then waited for a full collection, whose marking slowed the edits in
 * between. Re-linting a 3,500-line file after an edit, 900 edits each (p50 / p95): TypeScript 6.8 /
 * 13.3 → 6.2 / 9.8 ms, Python 8.8 / 13.4 → 6.2 / 10.9 ms, the last also without the
 * young-generation collection the server used to run when idle after each analysis, which made the
 * analyses' objects survive into the old generation the same way. glibc's malloc (other C libraries
 * ignore these variables): one arena instead of eight per core, so that what the index worker's
 * parser freed does not stay resident in arenas of its own (the peak while indexing 10,000 files
 * ~35 MB lower than with two, in the same time); and blocks of 128 KB and more always mapped on
 * their own and unmapped when freed, where glibc would raise that threshold after the first large
 * free and keep V8's freed parser and compiler zones in its heap (~20 MB less after indexing,
 * indexing ~10% slower, typing unchanged). Measured with `bench/server-memory.mjs`, which starts
 * the server with these. `--expose-gc`: the server collects the garbage of its start-up warm-up
 * (warm-up.ts) while the editor is idle, not during the user's first edits.
 */
export const SERVER_PROCESS = {
  execArgv: ['--max-semi-space-size=4', '--no-allocation-site-pretenuring', '--expose-gc'],
  env: { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '131072' },
} as const;

/** What the client may pass in `initializationOptions`; every field is optional (other editors send none). */
export interface InitializationOptions {
  /** Folder for caches (the embedded database): VS Code's global storage. */
  storagePath?: string;
  /** `false` in an untrusted workspace: PerfLens then lints but never connects to a database. */
  workspaceTrusted?: boolean;
  /** The client answers `perflens/databasePassword` (VS Code: from its secret storage). */
  databasePasswords?: boolean;
}

/** Client → server: the user trusted the workspace, database commands may run. */
export const WorkspaceTrustedNotification = 'perflens/workspaceTrusted';

/**
 * Server → client request, sent only when the client declared `databasePasswords` and the configured
 * URL names a user but carries no password. The answer is kept in memory only, never logged.
 */
export const DatabasePasswordRequest = 'perflens/databasePassword';

export interface DatabasePasswordParams {
  /** The URL as configured (it has no password). */
  url: string;
}

export interface DatabasePasswordResult {
  password?: string;
}

/** Server → client: what a long database command is doing (building the embedded database, …). */
export const DatabaseProgressNotification = 'perflens/databaseProgress';

export interface DatabaseProgressParams {
  message: string;
}

/** `ResponseError.data` of a database command, so that clients can react without parsing messages. */
export interface DatabaseErrorData {
  reason: 'write-not-allowed' | 'untrusted-workspace' | 'no-query' | 'timeout' | 'cancelled' | 'unsupported-database' | 'failed';
}

/** The result of `perflens.explain` (plain data; the VS Code client draws it inline and in the plan view). */
export interface ExplainCommandResult {
  sql: string;
  database: string;
  params: unknown[];
  paramSources: string[];
  plan: { root: PlanNodeData; analyzed: boolean; planningMs?: number; executionMs?: number };
  summary: string;
  warnings: Array<{ kind: string; node: string; message: string }>;
  range?: RangeData;
  /** `orm`: the SQL an ORM call at the position issues, translated by PerfLens. */
  origin?: 'sql' | 'orm';
  /** For ORM calls: `prisma.post.findMany → SQL`. */
  description?: string;
  notes: string[];
}

export interface PlanBuffersData {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  tempRead: number;
  tempWritten: number;
}

/** One node of a plan, the same shape for every database. */
export interface PlanNodeData {
  nodeType: string;
  relation?: string;
  alias?: string;
  index?: string;
  joinType?: string;
  /** Filter / Index Cond / Hash Cond / Join Filter, as PostgreSQL prints them. */
  condition?: string;
  filter?: string;
  rowsEstimated: number;
  rowsActual?: number;
  loops?: number;
  rowsRemovedByFilter?: number;
  /** Milliseconds to the first and the last row, per loop (ANALYZE only). */
  startupMs?: number;
  totalMs?: number;
  cost: { startup: number; total: number };
  buffers?: PlanBuffersData;
  sort?: { method?: string; spaceKb?: number; spaceType?: string; keys: string[] };
  /**
   * A PostgreSQL write (ModifyTable) that ran: the rows it wrote, which are not its actual rows
   * (those are what it returns, none without RETURNING); `conflicts`: rows an ON CONFLICT skipped
   * or updated.
   */
  written?: { rows: number; verb: 'inserted' | 'updated' | 'deleted' | 'merged'; conflicts?: number };
  /** Hash nodes: more than one batch means the hash table spilled to disk. */
  hashBatches?: number;
  children: PlanNodeData[];
  /** Set in command results for clients to show as is: `Seq Scan on posts`, this node's own time and cost (children excluded). */
  label?: string;
  selfMs?: number;
  selfCost?: number;
}

/** The result of `perflens.benchmark`. */
export interface BenchmarkCommandResult {
  sql: string;
  database: string;
  params: unknown[];
  paramSources: string[];
  runs: number;
  concurrency: number;
  warmup: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  totalMs: number;
  perSecond: number;
  timingsMs: number[];
  range?: RangeData;
  origin?: 'sql' | 'orm';
  description?: string;
  notes: string[];
}

/** The result of `perflens.suggestIndex`. */
export interface IndexAdviceResult {
  sql: string;
  range?: RangeData;
  /** `embedded`: each index built in a rolled-back transaction on the embedded copy; `hypopg`: hypothetical; `none`: not tried. */
  method: 'embedded' | 'hypopg' | 'none';
  notes: string[];
  before: ExplainCommandResult;
  suggestions: Array<{
    table: string;
    columns: Array<{ name: string; descending?: boolean }>;
    ddl: string;
    reason: string;
    /** The planner chose the index. */
    used: boolean;
    /** Before ÷ after, by execution time (`time`) or estimated cost (`cost`). */
    speedup?: number;
    basis: 'time' | 'cost';
    after?: ExplainCommandResult;
    /** Where the index goes in the project (schema.prisma, a new SQL migration), as an LSP workspace edit. */
    migration?: { title: string; edit: unknown };
  }>;
}

/** The result of `perflens.compareFix`: offset against keyset pagination, 1+N lookups against one batched query, or every row against a page. */
export type CompareFixCommandResult = PaginationComparisonResult | BatchComparisonResult | CapComparisonResult;

/**
 * For an unbounded-result-set finding: the read as written against the same read capped at a page
 * (`LIMIT 100`): rows, their size as JSON, and p50/p95 of each.
 */
export interface CapComparisonResult {
  kind: 'unbounded-result-set';
  sql: string;
  database: string;
  range?: RangeData;
  cappedSql: string;
  cap: number;
  all: { rows: number; bytes: number; p50: number; p95: number };
  capped: { rows: number; bytes: number; p50: number; p95: number };
  notes: string[];
}

/**
 * For an N+1 finding: the per-item statement N times (one round trip each) against one batched
 * statement, per N: a lookup against `= ANY($1)`, an UPDATE or DELETE by key the same way, an
 * INSERT of one row against one INSERT of N rows (writes rolled back).
 */
export interface BatchComparisonResult {
  kind: 'n-plus-one';
  sql: string;
  database: string;
  range?: RangeData;
  perItemSql: string;
  batchedSql: string;
  /** What the statement writes; absent for a lookup. */
  write?: 'insert' | 'update' | 'delete';
  sizes: Array<{ n: number; perItemMs: number; batchedMs: number }>;
  notes: string[];
}

/** For an offset-pagination finding: both variants at growing page depths. */
export interface PaginationComparisonResult {
  kind: 'offset-pagination';
  sql: string;
  database: string;
  range?: RangeData;
  offsetSql: string;
  keysetSql: string;
  pageSize: number;
  tableRows?: number;
  depths: Array<{ page: number; offset: number; offsetP50: number; offsetP95: number; keysetP50: number; keysetP95: number }>;
  notes: string[];
}

export interface RangeData {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** What a diagnostic carries in `data`, so code actions need no re-analysis. */
export interface DiagnosticData {
  ruleId: string;
  /** Document version the edits were computed for; stale edits are not applied. */
  version: number;
  fixes: Array<{
    title: string;
    applicability: 'safe' | 'unsafe' | 'display-only';
    edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>;
    /** A migration the fix adds beside the file (engine/finding.ts NewMigration; `dir` absolute). */
    newMigration?: { dir: string; slug: string; extension: string; text: string; down?: string };
    /** Code or an index the fix adds to another file (engine/finding.ts AddToFile; `path` absolute). */
    addToFile?:
      | { kind: 'block'; path: string; imports: string[]; block: string; defines: string }
      | { kind: 'index'; path: string; orm: 'prisma' | 'django' | 'sqlalchemy' | 'peewee' | 'typeorm' | 'mikro-orm' | 'drizzle' | 'mongoose' | 'sequelize'; model: string; fields: string[] };
  }>;
}
