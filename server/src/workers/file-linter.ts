/**
 * One file at a time, as the workers (or the CLI's main thread, for small runs) do it: the model
 * pass (facts → the models a file defines and the helpers it exports), the lint pass (facts →
 * findings, with the workspace's models and the helpers of imported files) and the language
 * server's index entries. Everything in and out is plain data, so that it crosses to and from
 * worker threads and into the persistent cache.
 */
import * as fs from 'node:fs';
import { Engine } from '../engine/analyze';
import type { FixMode } from '../engine/fix-selection';
import type { AddToFile, Finding } from '../engine/finding';
import { readPathAliases } from '../engine/path-aliases';
import { readSourceSync } from '../engine/read-source';
import { indexEntry, textHash, type IndexResult } from '../engine/workspace-index';
import { SourceFile, languageOfPath } from '../engine/source-file';
import { WorkspaceFunctions, type SharedFacts } from '../engine/workspace-functions';
import { WorkspaceModels } from '../engine/workspace-models';
import type { JobQueue, NpmPackage } from '../engine/workspace-databases';
import type { DrizzleCasing } from '../languages/typescript/drizzle-tables';
import { createAdapters } from '../languages';
import type { EffectHelperFact, FileFacts, LanguageId, ModelFact, QueryHelperFact, SqlDialect } from '../languages/facts';
import type { PerflensSettings } from '../protocol';
import { ALL_RULES } from '../rules';
import { applyFixesUntilStable } from '../engine/apply-fixes';

export interface LinterInit {
  settings: PerflensSettings;
  only?: string[];
  /** Where the adapters find their WASM assets (the bundle's folder); undefined from sources. */
  assetDir?: string;
  /** The workspace root: its tsconfig.json's path aliases resolve imports. */
  root: string;
  /** The databases its manifests' drivers name (workspace-databases.ts), read once by whoever starts the linters. */
  databases?: SqlDialect[];
  /** The job queues they depend on (Celery), and the `casing` of drizzle.config, read the same way. */
  jobQueues?: JobQueue[];
  drizzleCasing?: DrizzleCasing;
  /** The package.json files read, with their dependencies (a fix that needs a package says so only when it is missing). */
  packages?: NpmPackage[];
}

export interface FileJob {
  path: string;
  language: LanguageId;
  text: string;
}

export interface SummaryJob extends FileJob {
  /** The file is linted later by the same linter: keep its facts until then. */
  keep: boolean;
}

export interface FileSummary {
  models: ModelFact[];
  queryHelpers: QueryHelperFact[];
  effectHelpers: EffectHelperFact[];
}

export interface LintJob extends FileJob {
  fix?: FixMode;
  /** Also answer the models the file defines (the CLI's model pass, made by the lint of a file it lints anyway). */
  models?: boolean;
}

export interface LintOutcome {
  findings: Finding[];
  /** Other files whose helpers were looked up (found or not): the findings depend on them. */
  deps: string[];
  /** With a fix: the text after the fixes, and how many were applied. */
  fixedText?: string;
  fixesApplied: number;
  /** What the applied fixes add to other files (the caller writes them). */
  addToFiles?: AddToFile[];
  /** Files parsed for their helpers while linting this one, whose facts the linter keeps for their own turn. */
  loaded?: string[];
  /** The analysis read the workspace's models (WorkspaceModels.reads): its findings hold for these models only. */
  readModels?: boolean;
  /** It read them before they were given (setModels): the findings are to be made again once they are. */
  provisional?: boolean;
  /** The models the file defines, when the job asked. */
  models?: ModelFact[];
}

/** How many files parsed for their helpers keep their facts until they are linted (the oldest go first). */
const MAX_LOADED = 64;

export class FileLinter {
  private readonly models = new WorkspaceModels();
  private readonly functions: WorkspaceFunctions;
  private readonly kept = new Map<string, FileFacts>();
  /** Facts of files parsed for their helpers (an import of the file being linted), with the text they are of. */
  private readonly loaded = new Map<string, { text: string; facts: FileFacts }>();
  /** The files loaded during the current lint. */
  private loadedNow: string[] = [];
  private readonly only?: ReadonlySet<string>;
  /** setModels has been called: the workspace's models are known. */
  private modelsGiven = false;
  /**
   * Called with what each file parsed here shows the others (linted, summarised or loaded for its
   * helpers; nothing when it has no facts): a pool's worker passes it on to the other workers, so
   * that an import one of them has parsed is not parsed again by each.
   */
  onShown?: (file: string, shown: SharedFacts) => void;

  private constructor(private readonly engine: Engine, private readonly init: LinterInit, log: (m: string) => void) {
    this.only = init.only ? new Set(init.only) : undefined;
    this.models.databases = new Set(init.databases ?? []);
    this.models.jobQueues = new Set(init.jobQueues ?? []);
    this.models.drizzleCasing = init.drizzleCasing;
    this.models.packages = init.packages;
    // Helpers of an imported file are summarised on first use (one extra parse of that file).
    this.functions = new WorkspaceFunctions((file) => {
      const language = languageOfPath(file);
      if (!language) return undefined;
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
      const facts = this.engine.facts(new SourceFile(file, language, text));
      this.show(file, facts);
      // The file's own turn comes later in a workspace run: its facts are kept for it (bounded).
      if (facts && !this.kept.has(file)) {
        this.loaded.set(file, { text, facts });
        this.loadedNow.push(file);
        for (const old of this.loaded.keys()) {
          if (this.loaded.size <= MAX_LOADED) break;
          this.loaded.delete(old);
          this.engine.forget(old);
        }
      } else this.engine.forget(file);
      return facts;
    }, readPathAliases(init.root, log));
  }

  static async create(init: LinterInit, log: (m: string) => void): Promise<FileLinter> {
    const engine = new Engine(ALL_RULES, createAdapters(init.assetDir), log);
    await engine.init();
    return new FileLinter(engine, init, log);
  }

  summarize(job: SummaryJob): FileSummary {
    const facts = this.engine.facts(new SourceFile(job.path, job.language, job.text));
    if (facts && job.keep) this.kept.set(job.path, facts);
    else this.engine.forget(job.path);
    if (facts) this.functions.set(job.path, facts);
    this.show(job.path, facts);
    return { models: facts?.models ?? [], queryHelpers: facts?.queryHelpers ?? [], effectHelpers: facts?.effectHelpers ?? [] };
  }

  /** What other threads' linters found files show (onShown). */
  offer(entries: ReadonlyArray<[string, SharedFacts]>): void {
    for (const [file, shown] of entries) this.functions.offer(file, shown);
  }

  private show(file: string, facts: FileFacts | undefined): void {
    if (!this.onShown) return;
    const shown: SharedFacts = {};
    if (facts?.queryHelpers?.length) shown.queryHelpers = facts.queryHelpers;
    if (facts?.effectHelpers?.length) shown.effectHelpers = facts.effectHelpers;
    if (facts?.routes?.length) shown.routes = facts.routes;
    if (facts?.serializers?.length) shown.serializers = facts.serializers;
    this.onShown(file, shown);
  }

  /** Reads a file and returns what the language server's workspace index records of it (its index workers). */
  index(file: string): IndexResult {
    const language = languageOfPath(file);
    if (!language) return undefined;
    const read = readSourceSync(file);
    if ('skipped' in read) return { skipped: read.skipped };
    const facts = this.engine.facts(new SourceFile(file, language, read.text));
    this.engine.forget(file);
    return facts ? indexEntry(textHash(read.text), facts) : undefined;
  }

  /** The models of the whole workspace, for the lint pass. */
  setModels(entries: ReadonlyArray<[string, ModelFact[]]>): void {
    for (const [file, models] of entries) this.models.set(file, models);
    this.modelsGiven = true;
  }

  lint(job: LintJob): LintOutcome {
    const consulted = new Set<string>();
    this.functions.track(consulted);
    this.loadedNow = [];
    const reads = this.models.reads;
    try {
      const file = new SourceFile(job.path, job.language, job.text);
      const loaded = this.loaded.get(job.path);
      this.loaded.delete(job.path);
      const kept = this.kept.get(job.path) ?? (loaded?.text === job.text ? loaded.facts : undefined);
      this.kept.delete(job.path);
      const options = { only: this.only, models: this.models, functions: this.functions };
      const analysis = this.engine.analyze(file, this.init.settings, { ...options, facts: kept });
      // Later files that import this one find its helpers without parsing it again (with --fix,
      // they read the file as fixed on disk instead).
      if (analysis.facts && !job.fix) this.functions.set(job.path, analysis.facts);
      if (!job.fix) this.show(job.path, analysis.facts);
      let findings = analysis.findings;
      let fixedText: string | undefined;
      let fixesApplied = 0;
      let addToFiles: AddToFile[] = [];
      if (job.fix && findings.some((f) => f.fixes.length > 0)) {
        const fixed = applyFixesUntilStable(file, findings, job.fix, (f) => this.engine.analyze(f, this.init.settings, options).findings);
        if (fixed.applied > 0) {
          fixedText = fixed.file.text;
          findings = fixed.findings;
          fixesApplied = fixed.applied;
          addToFiles = fixed.addToFiles;
        }
      }
      consulted.delete(job.path);
      const loadedNow = this.loadedNow.filter((f) => this.loaded.has(f));
      const readModels = this.models.reads !== reads;
      return {
        findings,
        deps: [...consulted].sort(),
        fixedText,
        fixesApplied,
        ...(addToFiles.length ? { addToFiles } : {}),
        ...(loadedNow.length ? { loaded: loadedNow } : {}),
        ...(readModels ? { readModels } : {}),
        ...(readModels && !this.modelsGiven ? { provisional: true } : {}),
        ...(job.models ? { models: analysis.facts?.models ?? [] } : {}),
      };
    } finally {
      this.functions.track(undefined);
      // The CLI never sees this file again: free its syntax tree (Python keeps one per file for
      // incremental re-parsing in the editor) instead of holding every tree of the workspace.
      this.engine.forget(job.path);
    }
  }
}
