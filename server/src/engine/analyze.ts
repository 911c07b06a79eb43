/**
 * Runs the rules over one file: parse once (adapter → facts), run each rule's detector for the
 * language in isolation, then apply configuration (severity, off) and suppression comments.
 */
import type { LanguageAdapter } from '../languages/adapter';
import type { FileFacts, LanguageId } from '../languages/facts';
import type { PerflensSettings } from '../protocol';
import { isNonRequestPath, severityFor } from './config';
import type { Finding, Severity } from './finding';
import type { Rule } from './rule';
import type { SourceFile } from './source-file';
import { applySuppressions } from './suppression';
import type { WorkspaceFunctions } from './workspace-functions';
import type { WorkspaceModels } from './workspace-models';

export type Logger = (message: string) => void;

export interface AnalyzeOptions {
  /** Only these rule ids (CLI `--rule`). */
  only?: ReadonlySet<string>;
  isCancelled?: () => boolean;
  /** The workspace's ORM models (cross-file knowledge). */
  models?: WorkspaceModels;
  /** The workspace's query helpers (cross-file knowledge). */
  functions?: WorkspaceFunctions;
  /** Facts already built from this text (the CLI's model pass): not built again. */
  facts?: FileFacts;
}

export interface Analysis {
  findings: Finding[];
  facts?: FileFacts;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export class Engine {
  private ready?: Promise<void>;

  constructor(
    readonly rules: readonly Rule[],
    private readonly adapters: Partial<Record<LanguageId, LanguageAdapter>>,
    private readonly log: Logger,
  ) {}

  /** Loads the adapters (the Python grammar's WASM); a failing adapter is logged and skipped. */
  init(): Promise<void> {
    return (this.ready ??= Promise.all(
      Object.values(this.adapters).map((a) =>
        a!.init().catch((e: Error) => {
          this.log(`${a!.language} adapter failed to load: ${e.message}; ${a!.language} files get no findings`);
          delete this.adapters[a!.language];
        }),
      ),
    ).then(() => undefined));
  }

  /** The adapter of a language, once `init` has loaded it: for callers that need more than facts (syntax trees). */
  adapter(language: LanguageId): LanguageAdapter | undefined {
    return this.adapters[language];
  }

  rule(id: string): Rule | undefined {
    return this.rules.find((r) => r.meta.id === id);
  }

  forget(path: string): void {
    for (const a of Object.values(this.adapters)) a?.forget?.(path);
  }

  /** Facts alone (for the workspace index); undefined when the file cannot be analysed. */
  facts(file: SourceFile): FileFacts | undefined {
    const adapter = this.adapters[file.language];
    if (!adapter) return undefined;
    try {
      return adapter.facts(file);
    } catch (e) {
      this.log(`${file.path}: could not analyse (${(e as Error).message})`);
      return undefined;
    }
  }

  analyze(file: SourceFile, settings: PerflensSettings, options: AnalyzeOptions = {}): Analysis {
    if (!settings.enable) return { findings: [] };
    const adapter = this.adapters[file.language];
    if (!adapter) return { findings: [] };
    let facts: FileFacts;
    try {
      facts = options.facts ?? adapter.facts(file);
    } catch (e) {
      this.log(`${file.path}: could not analyse (${(e as Error).message}); no findings for this file`);
      return { findings: [] };
    }
    if (facts.skipped) {
      this.log(`${file.path}: not analysed (${facts.skipped})`);
      return { findings: [], facts };
    }
    for (const failure of facts.failures ?? []) this.log(`${file.path}: ${failure}; the file's other facts stand`);
    const nonRequest = isNonRequestPath(file.path, file.text);
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      const id = rule.meta.id;
      if (options.only && !options.only.has(id)) continue;
      if (options.isCancelled?.()) break;
      const detector = rule.detectors[file.language];
      if (!detector) continue;
      let severity = severityFor(settings, id, rule.meta.defaultSeverity);
      if (nonRequest && severity !== 'off' && !rule.meta.schema) {
        const lowered = settings.nonRequestPathSeverity;
        if (lowered === 'off') continue;
        if (SEVERITY_RANK[lowered] > SEVERITY_RANK[severity]) severity = lowered;
      }
      if (severity === 'off') continue;
      try {
        for (const d of detector(facts, { file, models: options.models, functions: options.functions, settings })) findings.push({ ...d, ruleId: id, severity });
      } catch (e) {
        // Rule isolation: one broken rule must not take the others down.
        const err = e as Error;
        this.log(`rule ${id} failed on ${file.path}: ${err.message}${err.stack ? '\n' + err.stack.split('\n').slice(1, 4).join('\n') : ''}`);
      }
    }
    findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
    return { findings: applySuppressions(file, findings), facts };
  }
}
