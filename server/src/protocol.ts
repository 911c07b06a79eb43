/**
 * The one module shared by client and server: command ids, custom LSP methods and the settings
 * shape. Nothing else crosses the boundary.
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
  database: {
    /** Connection URL (postgres://, mysql://, sqlite:). Empty: the embedded PostgreSQL. Passwords belong in SecretStorage. */
    url: string;
    /** Rows generated for the biggest table of the embedded database. */
    dataSize: number;
    /** Statement timeout for EXPLAIN and benchmarks, in milliseconds. */
    statementTimeoutMs: number;
  };
}

export const DEFAULT_SETTINGS: PerflensSettings = {
  enable: true,
  rules: {},
  include: [],
  exclude: [],
  nonRequestPathSeverity: 'hint',
  database: { url: '', dataSize: 100_000, statementTimeoutMs: 10_000 },
};

export const Commands = {
  explain: 'perflens.explain',
  benchmark: 'perflens.benchmark',
  compareFix: 'perflens.compareFix',
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

/** What a diagnostic carries in `data`, so code actions need no re-analysis. */
export interface DiagnosticData {
  ruleId: string;
  /** Document version the edits were computed for; stale edits are not applied. */
  version: number;
  fixes: Array<{
    title: string;
    applicability: 'safe' | 'unsafe' | 'display-only';
    edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>;
  }>;
}
