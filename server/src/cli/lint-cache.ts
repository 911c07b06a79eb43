/**
 * The CLI's persistent cache, one file per workspace root under the user's cache folder (never in
 * the repository). Per file, keyed by the hash of its content: the models and helpers it exports
 * (the model pass), and its findings with what they were computed from: the hash of all the
 * workspace's models, and the files whose helpers the lint looked up, with their hashes (or their
 * absence). Anything else that can change a finding (PerfLens's build, the settings, the rules
 * asked for, the path aliases) is in the key of the whole cache. A re-scan with nothing changed
 * reads and hashes the files, and nothing else.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../engine/finding';
import type { FileSummary } from './file-linter';

export interface CachedFile {
  hash: string;
  /** From the model pass, for this content. */
  summary?: FileSummary;
  /** False: the text declares no ORM relations, so the model pass skips it without a look. */
  definesModels?: false;
  findings?: Finding[];
  /** The workspace's models hash the findings were computed with. */
  modelsKey?: string;
  /** Files looked up for helpers: path and content hash, null when it did not exist. */
  deps?: Array<[string, string | null]>;
}

interface CacheFileContent {
  key: string;
  files: Record<string, CachedFile>;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export class LintCache {
  private files: Record<string, CachedFile> = {};
  private dirty = false;

  private constructor(private readonly file: string, private readonly key: string) {}

  /** Opens the cache of `root` for this key; a missing, broken or differently keyed cache is empty. */
  static open(cacheDir: string, root: string, key: string): LintCache {
    const file = path.join(cacheDir, 'lint', `${contentHash(root).slice(0, 20)}.json`);
    const cache = new LintCache(file, key);
    try {
      const content = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFileContent;
      if (content.key === key && content.files && typeof content.files === 'object') cache.files = content.files;
    } catch {
      // No cache yet, or one we cannot read: start empty.
    }
    return cache;
  }

  /** No file is known: nothing can come from this cache. */
  get empty(): boolean {
    return Object.keys(this.files).length === 0;
  }

  get(file: string, hash: string): CachedFile | undefined {
    const entry = this.files[file];
    return entry?.hash === hash ? entry : undefined;
  }

  /** Records what is known of `file` at `hash`, dropping what was known of other contents. */
  update(file: string, hash: string, patch: Omit<CachedFile, 'hash'>): void {
    const entry = this.files[file]?.hash === hash ? this.files[file] : { hash };
    this.files[file] = { ...entry, ...patch };
    this.dirty = true;
  }

  /** Forgets the files not in `files` (deleted, or now excluded): the cache does not grow forever. */
  retain(files: ReadonlySet<string>): void {
    for (const f of Object.keys(this.files)) {
      if (!files.has(f)) {
        delete this.files[f];
        this.dirty = true;
      }
    }
  }

  /** Writes the cache (atomically: a concurrent run reads the old or the new one, never half). */
  save(): void {
    if (!this.dirty) return;
    const content: CacheFileContent = { key: this.key, files: this.files };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(content));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}
