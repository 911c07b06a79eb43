/**
 * The workspace index: every analysable file with a content hash and a small summary of its facts
 * (how many queries and SQL statements, which models and tables they touch). Later rules read it for
 * cross-file knowledge; it keeps summaries, not trees, so that 10,000 files stay cheap.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Engine } from './analyze';
import { FileFilter } from './config';
import { discoverFiles } from './file-discovery';
import { readSource } from './read-source';
import { SourceFile, languageOfPath } from './source-file';
import { WorkspaceFunctions } from './workspace-functions';
import { workspaceManifests } from './workspace-databases';
import { WorkspaceModels } from './workspace-models';
import type { EffectHelperFact, FileFacts, LanguageId, ModelFact, QueryHelperFact, RouteFact, SerializerFact } from '../languages/facts';
import { isPrismaSchema, prismaSchemaModels } from '../languages/prisma/schema-models';
import type { PerflensSettings } from '../protocol';

export interface FileSummary {
  hash: string;
  queries: number;
  sqlStatements: number;
  /** Models and tables the file's queries touch. */
  models: string[];
  /** A hash of what the file shows the others (sharedKey), when it shows them anything. */
  shared?: string;
}

/**
 * What the other files' findings read of this one's entry (models, helpers, routes), without
 * positions (typing above a model moves it, and changes nothing the others see); undefined for
 * the most files, which show them nothing.
 */
function sharedKey(entry: IndexEntry): string | undefined {
  if (!entry.models.length && !entry.queryHelpers.length && !entry.effectHelpers.length && !entry.routes.length && !entry.serializers.length && !entry.djangoSettings) return undefined;
  const text = JSON.stringify([entry.models, entry.queryHelpers, entry.effectHelpers, entry.routes, entry.serializers, entry.djangoSettings ?? null], (k, v) => (k === 'start' || k === 'end' ? undefined : v));
  return createHash('sha1').update(text).digest('base64');
}

/**
 * What the index records of one file's facts. Plain data: a worker thread builds it and posts it
 * to the server's thread (see `IndexWorkers`).
 */
export interface IndexEntry {
  hash: string;
  models: ModelFact[];
  queryHelpers: QueryHelperFact[];
  effectHelpers: EffectHelperFact[];
  routes: RouteFact[];
  serializers: SerializerFact[];
  djangoSettings?: FileFacts['djangoSettings'];
  queries: number;
  sqlStatements: number;
  /** Models and tables the file's queries touch. */
  touched: string[];
}

export function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function indexEntry(hash: string, facts: FileFacts): IndexEntry {
  const touched = new Set<string>();
  for (const q of facts.queries) if (q.model) touched.add(q.model);
  for (const s of facts.sql) for (const t of s.tables) touched.add(t);
  return {
    hash,
    models: facts.models ?? [],
    queryHelpers: facts.queryHelpers ?? [],
    effectHelpers: facts.effectHelpers ?? [],
    routes: facts.routes ?? [],
    serializers: facts.serializers ?? [],
    ...(facts.djangoSettings ? { djangoSettings: facts.djangoSettings } : {}),
    queries: facts.queries.length,
    sqlStatements: facts.sql.length,
    touched: [...touched],
  };
}

/** A file read and summarised elsewhere: its entry, why it was skipped, or nothing (no facts). */
export type IndexResult = IndexEntry | { skipped: string } | undefined;

/**
 * Threads that read and summarise files for `build`, so that the parse garbage of a whole
 * workspace never lands in the server's heap (V8 keeps a heap grown that way for good), and the
 * server's thread stays free for the open documents while a large workspace is indexed.
 */
export interface IndexWorkers {
  index(file: string): Promise<IndexResult>;
  close(): Promise<void>;
}

export interface IndexProgress {
  done: number;
  total?: number;
}

const BATCH = 50;
/** Files handed to the workers between two progress reports and cancellation checks. */
const WORKER_CHUNK = 256;

export class WorkspaceIndex {
  private readonly files = new Map<string, FileSummary>();
  /** While `build` runs: files recorded on this thread since, whose workers' results are older. */
  private recordedDuringBuild?: Set<string>;
  /** ORM models defined across the workspace: what lazy-loading checks need from other files. */
  readonly models = new WorkspaceModels();
  /** Functions across the workspace that issue queries: what per-item calls to imported helpers need. */
  readonly functions = new WorkspaceFunctions();

  /**
   * Bumped each time what a file shows the others changes (a model, a query helper, a route, a
   * schema): analyses of open documents made before it may be stale.
   */
  revision = 0;
  /** Told when `revision` changes outside `build` (whose end makes every analysis stale anyway). */
  onRevision?: () => void;
  private building = false;

  constructor(private readonly engine: Engine, private readonly log: (m: string) => void) {}

  private bump(): void {
    this.revision++;
    if (!this.building) this.onRevision?.();
  }

  get size(): number {
    return this.files.size;
  }

  /** The languages of the indexed files. */
  languages(): Set<LanguageId> {
    const out = new Set<LanguageId>();
    for (const file of this.files.keys()) {
      const language = languageOfPath(file);
      if (language) out.add(language);
    }
    return out;
  }

  summary(file: string): FileSummary | undefined {
    return this.files.get(file);
  }

  /** Files whose queries touch `model` (a Prisma delegate, a Django model, a table). */
  filesTouching(model: string): string[] {
    const m = model.toLowerCase();
    return [...this.files].filter(([, s]) => s.models.some((x) => x.toLowerCase() === m)).map(([f]) => f);
  }

  /** Indexes a file's text (from disk, or an open document's not yet analysed). */
  update(file: string, text: string): void {
    // schema.prisma holds models and relations only: no facts, no findings.
    if (isPrismaSchema(file)) {
      this.models.set(file, prismaSchemaModels(text));
      this.bump();
      return;
    }
    const language = languageOfPath(file);
    if (!language) return;
    const hash = textHash(text);
    if (this.files.get(file)?.hash === hash) return;
    const facts = this.engine.facts(new SourceFile(file, language, text));
    // The index keeps what it records, not the syntax tree: thousands of trees would not fit. An
    // open document's next analysis parses it whole once.
    this.engine.forget(file);
    if (facts) this.record(file, indexEntry(hash, facts));
  }

  /** Records facts already built (an open document's analysis), so the text is not parsed twice. */
  recordAnalysis(file: string, text: string, facts: FileFacts): void {
    this.record(file, indexEntry(textHash(text), facts));
  }

  private record(file: string, entry: IndexEntry, fromWorker = false): void {
    if (fromWorker) {
      if (this.recordedDuringBuild?.has(file)) return;
    } else this.recordedDuringBuild?.add(file);
    this.models.set(file, entry.models);
    this.functions.set(file, entry);
    const shared = sharedKey(entry);
    const before = this.files.get(file);
    this.files.set(file, { hash: entry.hash, queries: entry.queries, sqlStatements: entry.sqlStatements, models: entry.touched, shared });
    if (before?.shared !== shared) this.bump();
  }

  remove(file: string): void {
    if (this.files.get(file)?.shared !== undefined || isPrismaSchema(file)) this.bump();
    this.recordedDuringBuild?.add(file);
    this.files.delete(file);
    this.models.set(file, []);
    this.functions.set(file, {});
    this.engine.forget(file);
  }

  /**
   * Walks the workspace (honouring .gitignore and the settings' globs). With workers (a large
   * workspace), threads read and summarise the files; otherwise this thread does, yielding to the
   * event loop between batches. A worker that fails hands its files back to this thread.
   */
  async build(
    root: string,
    settings: PerflensSettings,
    onProgress: (p: IndexProgress) => void,
    isCancelled: () => boolean,
    /** Given the number of files: workers to index them, or none (a small workspace). */
    startWorkers?: (files: number) => IndexWorkers | undefined,
  ): Promise<boolean> {
    this.building = true;
    try {
      return await this.buildFiles(root, settings, onProgress, isCancelled, startWorkers);
    } finally {
      this.building = false;
      this.revision++;
    }
  }

  private async buildFiles(
    root: string,
    settings: PerflensSettings,
    onProgress: (p: IndexProgress) => void,
    isCancelled: () => boolean,
    startWorkers?: (files: number) => IndexWorkers | undefined,
  ): Promise<boolean> {
    await this.engine.init();
    ({ databases: this.models.databases, jobQueues: this.models.jobQueues, drizzleCasing: this.models.drizzleCasing, packages: this.models.packages } = workspaceManifests(root));
    const found: string[] = [];
    for await (const f of discoverFiles(root, { schemas: true, filter: new FileFilter(root, settings), isCancelled, onError: (p, r) => this.log(`index: ${p}: ${r}`) })) {
      found.push(f);
    }
    if (isCancelled()) return false;
    onProgress({ done: 0, total: found.length });
    const skipped = (file: string, reason: string) => this.log(`index: ${path.relative(root, file)} skipped (${reason})`);
    let done = 0;
    let local = found;
    const workers = startWorkers?.(found.length);
    if (workers) {
      // Schemas are read here: they have no facts, only models, and there are few.
      local = found.filter((f) => isPrismaSchema(f));
      const sources = found.filter((f) => !isPrismaSchema(f));
      this.recordedDuringBuild = new Set();
      try {
        for (; done < sources.length; done += WORKER_CHUNK) {
          if (isCancelled()) return false;
          const chunk = sources.slice(done, done + WORKER_CHUNK);
          const results = await Promise.all(chunk.map((f) => workers.index(f)));
          chunk.forEach((file, i) => {
            const r = results[i];
            if (r && 'skipped' in r) skipped(file, r.skipped);
            else if (r) this.record(file, r, true);
          });
          onProgress({ done: Math.min(done + WORKER_CHUNK, sources.length), total: found.length });
        }
        done = sources.length;
      } catch (e) {
        this.log(`index: a worker failed (${(e as Error).message}); indexing the remaining ${sources.length - done} files on the server's thread`);
        local = [...local, ...sources.slice(done)];
      } finally {
        this.recordedDuringBuild = undefined;
        await workers.close();
      }
    }
    for (let i = 0; i < local.length; i++) {
      if (isCancelled()) return false;
      const read = await readSource(local[i]);
      if ('skipped' in read) skipped(local[i], read.skipped);
      else this.update(local[i], read.text);
      if ((i + 1) % BATCH === 0) {
        onProgress({ done: done + i + 1, total: found.length });
        await new Promise((r) => setImmediate(r));
      }
    }
    onProgress({ done: found.length, total: found.length });
    return true;
  }
}
