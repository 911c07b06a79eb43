/**
 * Analyses open documents, once per version and settings generation: pull requests, the push
 * fallback and code actions all read the same result, so a keystroke is linted once.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath } from './uri';
import type { Engine } from './engine/analyze';
import type { Finding } from './engine/finding';
import type { WorkspaceFunctions } from './engine/workspace-functions';
import type { WorkspaceModels } from './engine/workspace-models';
import type { FileFacts } from './languages/facts';
import { SourceFile, languageOfDocument } from './engine/source-file';
import type { SettingsStore } from './settings-store';

export interface DocumentAnalysis {
  uri: string;
  version: number;
  generation: number;
  /** The workspace index's revision it was made with (after recording its own facts). */
  revision: number;
  file: SourceFile;
  findings: Finding[];
  /** What the adapter found (SQL statements for code lenses, queries for EXPLAIN); absent when it could not parse. */
  facts?: FileFacts;
}

/** What the analyzer reads of the settings (SettingsStore; the warm-up passes the defaults). */
export type DocumentSettings = Pick<SettingsStore, 'generation' | 'forDocument'>;

export class DocumentAnalyzer {
  private readonly cache = new Map<string, DocumentAnalysis>();
  /** When the last analysis ended (performance.now()); 0: none yet. The warm-up waits for quiet. */
  lastAnalysisAt = 0;

  constructor(
    private readonly engine: Engine,
    private readonly settings: DocumentSettings,
    /** Called with each fresh analysis (the workspace index keeps its summary). */
    private readonly onAnalyzed: (file: SourceFile, facts: FileFacts) => void = () => {},
    /** What other files define (ORM models, query helpers), for rules that need it. */
    private readonly workspace?: { models: WorkspaceModels; functions: WorkspaceFunctions; revision?: number },
  ) {}

  /** What other files show changed since an analysis made with this revision, when it is not the current one. */
  get revision(): number {
    return this.workspace?.revision ?? 0;
  }

  cached(uri: string, version: number): DocumentAnalysis | undefined {
    const c = this.cache.get(uri);
    return c && c.version === version && c.generation === this.settings.generation && c.revision === this.revision ? c : undefined;
  }

  async analyze(doc: TextDocument, isCancelled?: () => boolean): Promise<DocumentAnalysis | undefined> {
    const hit = this.cached(doc.uri, doc.version);
    if (hit) return hit;
    const path = uriToPath(doc.uri);
    const language = languageOfDocument(doc.languageId, path);
    if (!language) return undefined;
    const generation = this.settings.generation;
    const settings = await this.settings.forDocument(doc.uri);
    await this.engine.init();
    if (isCancelled?.()) return undefined;
    const file = new SourceFile(path, language, doc.getText(), doc.version);
    const { findings, facts } = this.engine.analyze(file, settings, { isCancelled, models: this.workspace?.models, functions: this.workspace?.functions });
    this.lastAnalysisAt = performance.now();
    if (isCancelled?.()) return undefined;
    if (facts && doc.uri.startsWith('file:')) this.onAnalyzed(file, facts);
    // Read after its own facts are recorded: they change what the others see, not its findings.
    const result: DocumentAnalysis = { uri: doc.uri, version: doc.version, generation, revision: this.revision, file, findings, facts };
    this.cache.set(doc.uri, result);
    return result;
  }

  /** Knowledge from other files changed (the workspace index finished): every analysis is stale. */
  invalidateAll(): void {
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.engine.forget(uriToPath(uri));
  }
}
