import type { FileFacts, LanguageId } from '../languages/facts';
import type { PerflensSettings } from '../protocol';
import type { Detection, Severity } from './finding';
import type { SourceFile } from './source-file';
import type { WorkspaceFunctions } from './workspace-functions';
import type { WorkspaceModels } from './workspace-models';

export interface RuleMeta {
  /** kebab-case, names the pattern: `offset-pagination`. Same as the docs page and test folder. */
  id: string;
  /** One line, shown in settings and docs. */
  description: string;
  defaultSeverity: Severity;
  languages: LanguageId[];
  /** Libraries the rule understands, for the docs and the README. */
  libraries: string[];
  fix: 'none' | 'safe' | 'unsafe' | 'display-only';
  /**
   * The findings are about the database's schema, not about code that serves requests: they keep
   * their severity in migrations and scripts (nonRequestPathSeverity lowers the others there).
   */
  schema?: boolean;
}

export interface DetectContext {
  file: SourceFile;
  /** ORM models of the whole workspace (relations for lazy-loading checks). */
  models?: WorkspaceModels;
  /** Query helpers of the whole workspace (queries behind imported functions). */
  functions?: WorkspaceFunctions;
  /** The settings that apply to the file (a rule's own options: `smallTables`). */
  settings?: PerflensSettings;
}

export type Detector<F extends FileFacts = FileFacts> = (facts: F, ctx: DetectContext) => Detection[];

export interface Rule {
  meta: RuleMeta;
  /** One detector per language; facts are that language's adapter output. */
  detectors: Partial<Record<LanguageId, Detector<any>>>;
}

export const DOCS_BASE_URL = 'https://github.com/perflens/perflens/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
