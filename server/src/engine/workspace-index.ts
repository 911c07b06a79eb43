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
import { WorkspaceModels } from './workspace-models';
import type { FileFacts } from '../languages/facts';
import { isPrismaSchema, prismaSchemaModels } from '../languages/prisma/schema-models';
import type { PerflensSettings } from '../protocol';

export interface FileSummary {
  hash: string;
  queries: number;
  sqlStatements: number;
  /** Models and tables the file's queries touch. */
  models: string[];
}

export interface IndexProgress {
  done: number;
  total?: number;
}

const BATCH = 50;

export class WorkspaceIndex {
  private readonly files = new Map<string, FileSummary>();
  /** ORM models defined across the workspace: what lazy-loading checks need from other files. */
  readonly models = new WorkspaceModels();
  /** Functions across the workspace that issue queries: what per-item calls to imported helpers need. */
  readonly functions = new WorkspaceFunctions();

  constructor(private readonly engine: Engine, private readonly log: (m: string) => void) {}

  get size(): number {
    return this.files.size;
  }

  summary(file: string): FileSummary | undefined {
    return this.files.get(file);
  }

  /** Files whose queries touch `model` (a Prisma delegate, a Django model, a table). */
  filesTouching(model: string): string[] {
    const m = model.toLowerCase();
    return [...this.files].filter(([, s]) => s.models.some((x) => x.toLowerCase() === m)).map(([f]) => f);
  }

  /** Re-reads one file (created or changed on disk). */
  update(file: string, text: string): void {
    // schema.prisma holds models and relations only: no facts, no findings.
    if (isPrismaSchema(file)) {
      this.models.set(file, prismaSchemaModels(text));
      return;
    }
    const language = languageOfPath(file);
    if (!language) return;
    const hash = createHash('sha1').update(text).digest('hex');
    if (this.files.get(file)?.hash === hash) return;
    const facts = this.engine.facts(new SourceFile(file, language, text));
    // The index keeps what it records, not the syntax tree: thousands of trees would not fit. An
    // open document's next analysis parses it whole once.
    this.engine.forget(file);
    if (facts) this.record(file, hash, facts);
  }

  /** Records facts already built (an open document's analysis), so the text is not parsed twice. */
  recordAnalysis(file: string, text: string, facts: FileFacts): void {
    this.record(file, createHash('sha1').update(text).digest('hex'), facts);
  }

  private record(file: string, hash: string, facts: FileFacts): void {
    this.models.set(file, facts.models ?? []);
    this.functions.set(file, facts.queryHelpers ?? [], facts.effectHelpers ?? [], facts.routes ?? []);
    const models = new Set<string>();
    for (const q of facts.queries) if (q.model) models.add(q.model);
    for (const s of facts.sql) for (const t of s.tables) models.add(t);
    this.files.set(file, { hash, queries: facts.queries.length, sqlStatements: facts.sql.length, models: [...models] });
  }

  remove(file: string): void {
    this.files.delete(file);
    this.models.set(file, []);
    this.functions.set(file, []);
    this.engine.forget(file);
  }

  /** Walks the workspace (honouring .gitignore and the settings' globs); yields to the event loop between batches. */
  async build(root: string, settings: PerflensSettings, onProgress: (p: IndexProgress) => void, isCancelled: () => boolean): Promise<boolean> {
    await this.engine.init();
    const found: string[] = [];
    for await (const f of discoverFiles(root, { schemas: true, filter: new FileFilter(root, settings), isCancelled, onError: (p, r) => this.log(`index: ${p}: ${r}`) })) {
      found.push(f);
    }
    if (isCancelled()) return false;
    onProgress({ done: 0, total: found.length });
    for (let i = 0; i < found.length; i++) {
      if (isCancelled()) return false;
      const read = await readSource(found[i]);
      if ('skipped' in read) this.log(`index: ${path.relative(root, found[i])} skipped (${read.skipped})`);
      else this.update(found[i], read.text);
      if ((i + 1) % BATCH === 0) {
        onProgress({ done: i + 1, total: found.length });
        await new Promise((r) => setImmediate(r));
      }
    }
    onProgress({ done: found.length, total: found.length });
    return true;
  }
}
