/** What a rule reports, in file offsets (UTF-16 code units, as in JS strings and LSP). */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * `safe`: behaviour unchanged — may be preferred and applied by fix-all on save.
 * `unsafe`: changes behaviour (e.g. page boundaries) — offered, never applied automatically.
 * `display-only`: shown as guidance, no edit is applied.
 */
export type Applicability = 'safe' | 'unsafe' | 'display-only';

export interface Span {
  start: number;
  end: number;
}

export interface Edit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: Edit[];
}

/** What a detector returns: where, why, and how to fix. Severity comes from configuration. */
export interface Detection extends Span {
  message: string;
  fixes: Fix[];
}

export interface Finding extends Detection {
  ruleId: string;
  severity: Severity;
}
