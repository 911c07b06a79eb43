/**
 * The CLI's persistent cache, one file per workspace root under the user's cache folder (never in
 * the repository). Per file, keyed by the hash of its content: the models and helpers it exports
 * (the model pass), and its findings with the files whose helpers the lint looked up, with their
 * hashes (or their absence). The findings of a file whose analysis read the workspace's models
 * (WorkspaceModels.reads) hold for one hash of all the models, kept once for the whole cache: when
 * the models change, those findings are dropped, and only those. Anything else that
 * can change a finding (PerfLens's build, the settings, the rules asked for, the path aliases) is in
 * the key of the whole cache.
 *
 * A re-scan reads and parses the whole cache, so its shape is part of what a re-scan costs: the file
 * is kept in columns (paths, hashes, statuses as flat numbers), with the rest only for the few files
 * that have it (a model summary, findings, helper lookups). Parsed, that is a few arrays of strings
 * and numbers instead of several objects per file (measured on 3,109 files: JSON.parse 3 ms instead
 * of 14, and less for the garbage collector); an entry is made when its file is asked about. Paths
 * are kept relative to the root (absolute outside it).
 *
 * With each hash, the file's status when it was read (size, modification and change times, inode):
 * like git's index, a file whose status is the one recorded has the recorded content, so a re-scan
 * with nothing changed reads only the files it has findings to show for (see FileStates).
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../engine/finding';
import type { FileSummary } from '../workers/file-linter';

export interface CachedFile {
  hash: string;
  /** The file's status when content `hash` was read. */
  stat?: FileStatus;
  /** From the model pass, for this content. */
  summary?: FileSummary;
  /** False: the text declares no ORM relations, so the model pass skips it without a look. */
  definesModels?: false;
  findings?: Finding[];
  /** Files looked up for helpers: path and content hash, null when it did not exist. */
  deps?: Array<[string, string | null]>;
  /** The findings were made reading the workspace's models: they hold for the models they were made with. */
  readModels?: boolean;
}

/** What is kept beside the columns, for the files that have it. */
type Details = Pick<CachedFile, 'summary' | 'findings' | 'deps'>;

/** The text declares no ORM relations (definesModels: false). */
const NO_MODELS = 1;
/** Linted, with no findings and no helper looked up: most files, kept without an object of their own. */
const NO_FINDINGS = 2;
/** The findings read the models (readModels). */
const READS_MODELS = 4;

/** The file, by slot: slot i's path is paths[i], its hash hashes[i], its status stats[4i…4i+3]. */
interface CacheFileContent {
  key: string;
  /** The hash of the workspace's models that every file's findings were computed with. */
  modelsKey?: string;
  /** Root-relative (absolute outside the root); deps' paths too. */
  paths: string[];
  hashes: string[];
  /** Four numbers a slot (FileStatus); a size of -1: no status recorded. */
  stats: number[];
  /** Bits a slot: NO_MODELS, NO_FINDINGS, READS_MODELS. */
  flags: number[];
  /** By slot, only for files that have any. */
  details: Record<string, Details>;
}

/** What must be unchanged for a file to hold the content it had: size, modification and change times, inode. */
export type FileStatus = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

interface StatLike {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function fileStatus(stat: StatLike): FileStatus {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
}

/** Whether `stat` is the recorded status: any write since changes one of its fields. */
export function sameStatus(recorded: FileStatus, stat: StatLike): boolean {
  return recorded[0] === stat.size && recorded[1] === stat.mtimeMs && recorded[2] === stat.ctimeMs && recorded[3] === stat.ino;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** For update(): a status read again is the same as the recorded one (other fields are compared by identity). */
function unchanged(a: unknown, b: unknown): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]));
}

export class LintCache {
  /** Entries made or changed this run, by absolute path (the walk's own strings look them up). */
  private files = new Map<string, CachedFile>();
  /** Entries still only in the columns read: absolute path → slot. */
  private stored = new Map<string, number>();
  private columns: CacheFileContent | undefined;
  /** The stored findings were computed with other models: those that read them are not to be used. */
  private storedFindingsStale = false;
  private modelsKey: string | undefined;
  private dirty = false;
  /** The root with a trailing separator: what is cut from the paths kept. */
  private readonly prefix: string;

  private constructor(private readonly file: string, root: string, private readonly key: string) {
    this.prefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  /** Opens the cache of `root` for this key; a missing, broken or differently keyed cache is empty. */
  static open(cacheDir: string, root: string, key: string): LintCache {
    const file = path.join(cacheDir, 'lint', `${contentHash(root).slice(0, 20)}.json`);
    const cache = new LintCache(file, root, key);
    try {
      const bytes = fs.readFileSync(file);
      // Mostly ASCII: decoded as such it is read in a third of the time UTF-8 decoding takes.
      const content = JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')) as CacheFileContent;
      const { paths, hashes, stats, flags, details } = content;
      const n = Array.isArray(paths) ? paths.length : -1;
      // Another shape (an older PerfLens) or a torn file: start empty.
      if (content.key === key && n >= 0 && hashes?.length === n && stats?.length === 4 * n && flags?.length === n && details && typeof details === 'object') {
        cache.columns = content;
        for (let i = 0; i < n; i++) cache.stored.set(cache.absolute(paths[i]), i);
        cache.modelsKey = content.modelsKey;
      }
    } catch {
      // No cache yet, or one we cannot read: start empty.
    }
    return cache;
  }

  /** No file is known: nothing can come from this cache. */
  get empty(): boolean {
    return this.files.size === 0 && this.stored.size === 0;
  }

  private relative(file: string): string {
    return file.startsWith(this.prefix) ? file.slice(this.prefix.length) : file;
  }

  private absolute(kept: string): string {
    return path.isAbsolute(kept) ? kept : this.prefix + kept;
  }

  /** The entry of `file`, made from its slot the first time it is asked for. */
  private entry(file: string): CachedFile | undefined {
    const made = this.files.get(file);
    if (made) return made;
    const slot = this.stored.get(file);
    if (slot === undefined) return undefined;
    this.stored.delete(file);
    const { hashes, stats, flags, details } = this.columns!;
    const entry: CachedFile = { hash: hashes[slot] };
    const at = 4 * slot;
    if (stats[at] >= 0) entry.stat = [stats[at], stats[at + 1], stats[at + 2], stats[at + 3]];
    if (flags[slot] & NO_MODELS) entry.definesModels = false;
    const more = details[slot];
    if (more?.summary) entry.summary = more.summary;
    if (flags[slot] & READS_MODELS) entry.readModels = true;
    if (!this.storedFindingsStale || !entry.readModels) {
      if (flags[slot] & NO_FINDINGS) entry.findings = [];
      else if (more?.findings) {
        entry.findings = more.findings;
        if (more.deps) entry.deps = more.deps;
      }
    }
    this.files.set(file, entry);
    return entry;
  }

  /**
   * The findings kept hold for the models with this hash: with other models, those made reading
   * the models are dropped (the rest of what is known of each file stays).
   */
  useModels(modelsKey: string): void {
    if (this.modelsKey === modelsKey) return;
    for (const entry of this.files.values()) {
      if (!entry.readModels) continue;
      delete entry.findings;
      delete entry.deps;
      delete entry.readModels;
    }
    this.storedFindingsStale = true;
    this.modelsKey = modelsKey;
    this.dirty = true;
  }

  get(file: string, hash: string): CachedFile | undefined {
    const entry = this.entry(file);
    return entry?.hash === hash ? entry : undefined;
  }

  /** Whether every file `entry`'s findings looked up still has the hash it had (`hashOf`, null: no such file). */
  depsUnchanged(entry: CachedFile, hashOf: (file: string) => string | null): boolean {
    return (entry.deps ?? []).every(([d, h]) => hashOf(this.absolute(d)) === h);
  }

  /** The status recorded with the file's last known content, if one was. */
  statOf(file: string): FileStatus | undefined {
    return this.entry(file)?.stat;
  }

  /** The hash of the file's last known content. */
  hashOf(file: string): string | undefined {
    return this.entry(file)?.hash;
  }

  /** Records what is known of `file` at `hash`, dropping what was known of other contents. */
  update(file: string, hash: string, patch: Omit<CachedFile, 'hash'>): void {
    const known = this.entry(file);
    const entry = known?.hash === hash ? known : { hash };
    const kept = patch.deps ? { ...patch, deps: patch.deps.map(([d, h]): [string, string | null] => [this.relative(d), h]) } : patch;
    if (entry === known && (Object.keys(kept) as Array<keyof typeof kept>).every((k) => unchanged(entry[k], kept[k]))) return;
    this.files.set(file, { ...entry, ...kept });
    this.dirty = true;
  }

  /** Forgets the files not in `files` (deleted, or now excluded): the cache does not grow forever. */
  retain(files: ReadonlySet<string>): void {
    for (const known of [this.files, this.stored]) {
      for (const f of known.keys()) {
        if (!files.has(f)) {
          known.delete(f);
          this.dirty = true;
        }
      }
    }
  }

  /** Writes the cache (atomically: a concurrent run reads the old or the new one, never half). */
  save(): void {
    if (!this.dirty) return;
    for (const f of [...this.stored.keys()]) this.entry(f);
    const content: CacheFileContent = { key: this.key, modelsKey: this.modelsKey, paths: [], hashes: [], stats: [], flags: [], details: {} };
    for (const [f, entry] of this.files) {
      const slot = content.paths.length;
      content.paths.push(this.relative(f));
      content.hashes.push(entry.hash);
      content.stats.push(...(entry.stat ?? [-1, 0, 0, 0]));
      const clean = entry.findings?.length === 0 && !entry.deps?.length;
      content.flags.push((entry.definesModels === false ? NO_MODELS : 0) | (clean ? NO_FINDINGS : 0) | (entry.findings && entry.readModels ? READS_MODELS : 0));
      const more: Details = {};
      if (entry.summary) more.summary = entry.summary;
      if (entry.findings && !clean) {
        more.findings = entry.findings;
        if (entry.deps) more.deps = entry.deps;
      }
      if (more.summary || more.findings) content.details[slot] = more;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(content));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}
