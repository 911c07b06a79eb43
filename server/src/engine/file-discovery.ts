/**
 * Finds the files to analyse under a workspace root: supported extensions only, honouring
 * .gitignore files (nested ones too) and skipping dependency folders, virtualenvs and build output
 * even without a .gitignore, since those dwarf a project's own code.
 */
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { FileFilter } from './config';
import { globToRegExp } from './glob';
import { languageOfPath } from './source-file';
import { isPrismaSchema } from '../languages/prisma/schema-models';

const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo',
  '.cache', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.idea', '.vscode-test', 'target', 'vendor', 'bower_components',
]);

/** Minified bundles and declaration files are not code anyone edits. */
const SKIPPED_FILES = /\.(min\.js|d\.ts|d\.mts|d\.cts)$/;

interface IgnoreRule {
  base: string; // folder (relative to the root, '/'-separated, '' for the root) the .gitignore is in
  re: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    rules.push({ base, re: globToRegExp(line), negated, dirOnly });
  }
  return rules;
}

function ignored(rules: readonly IgnoreRule[], rel: string, isDir: boolean): boolean {
  let result = false;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.base && !rel.startsWith(r.base + '/')) continue;
    const local = r.base ? rel.slice(r.base.length + 1) : rel;
    if (r.re.test(local)) result = !r.negated;
  }
  return result;
}

export interface DiscoveryOptions {
  filter?: FileFilter;
  isCancelled?: () => boolean;
  /** Called for folders that could not be read (permissions, races with deletion). */
  onError?: (path: string, reason: string) => void;
  /** Also yield model schemas that are not linted (schema.prisma), for the workspace's models. */
  schemas?: boolean;
  /** Which file names to yield; default: the languages PerfLens analyses. */
  match?: (name: string) => boolean;
}

type Dirent = import('node:fs').Dirent;
type Listing = Dirent[] | { error: string };

/** A folder to list: `relDir` relative to the root, '/'-separated, '' for the root. */
interface Folder {
  dir: string;
  relDir: string;
  rules: IgnoreRule[];
}

/**
 * What a walk does with one folder's listing, whichever way it was listed: the files to yield,
 * and the sub-folders to list next (through `enqueue`). `readGitignore` reads the folder's
 * .gitignore when it has one.
 */
class WalkStep {
  private readonly relativeToFilter: boolean;

  constructor(
    private readonly root: string,
    private readonly options: DiscoveryOptions,
  ) {
    this.relativeToFilter = options.filter?.root === root;
  }

  /** Whether the listing is a folder to read at all (a virtualenv has no fixed name; its marker file gives it away). */
  skips(folder: Folder, entries: Dirent[]): boolean {
    return folder.dir !== this.root && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile());
  }

  hasGitignore(entries: Dirent[]): boolean {
    return entries.some((e) => e.name === '.gitignore' && e.isFile());
  }

  rulesWith(folder: Folder, gitignore: string | Error): IgnoreRule[] {
    if (typeof gitignore === 'string') return [...folder.rules, ...parseGitignore(gitignore, folder.relDir)];
    this.options.onError?.(path.join(folder.dir, '.gitignore'), gitignore.message);
    return folder.rules;
  }

  /** The folder's files, in name order; its sub-folders go to `enqueue`, in name order too. */
  files(folder: Folder, rules: IgnoreRule[], entries: Dirent[], enqueue: (f: Folder) => void): string[] {
    const { options } = this;
    const filter = options.filter;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // `dir` is absolute and normalized: joining is appending (path.join would normalize again).
    const prefix = folder.dir.endsWith(path.sep) ? folder.dir : folder.dir + path.sep;
    const relDir = folder.relDir;
    const batch: string[] = [];
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const full = prefix + entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name) || ignored(rules, rel, true)) continue;
        enqueue({ dir: full, relDir: rel, rules });
      } else if (entry.isFile()) {
        if (!(options.match ? options.match(entry.name) : (languageOfPath(entry.name) || (options.schemas && isPrismaSchema(entry.name)))) || SKIPPED_FILES.test(entry.name) || ignored(rules, rel, false)) continue;
        if (filter && !(this.relativeToFilter ? filter.acceptsRelative(rel) : filter.accepts(full))) continue;
        batch.push(full);
      }
    }
    return batch;
  }
}

/** Starts listing a folder: queued folders are listed in parallel on libuv's threads. */
function list(dir: string): Promise<Listing> {
  return fs.readdir(dir, { withFileTypes: true }).then(
    (entries) => entries,
    (e: Error) => ({ error: e.message }),
  );
}

/** Yields absolute paths of supported files, breadth by breadth, without loading them. */
export async function* discoverFiles(root: string, options: DiscoveryOptions = {}): AsyncGenerator<string> {
  for await (const batch of discoverFileBatches(root, options)) yield* batch;
}

/**
 * The same, a folder's files at a time (a caller that only collects them saves a promise per
 * file). Folders are listed as soon as they are queued, and taken in queue order: the order stays
 * deterministic while the listings overlap (one at a time, a walk waits on the thread pool once per
 * folder). For a process with nothing else to do meanwhile, discoverFilesSync is faster.
 */
export async function* discoverFileBatches(root: string, options: DiscoveryOptions = {}): AsyncGenerator<string[]> {
  const step = new WalkStep(root, options);
  const queue: Array<(Folder & { listing: Promise<Listing> }) | undefined> = [{ dir: root, relDir: '', rules: [], listing: list(root) }];
  const enqueue = (f: Folder): void => {
    queue.push({ ...f, listing: list(f.dir) });
  };
  for (let head = 0; head < queue.length; head++) {
    if (options.isCancelled?.()) return;
    const folder = queue[head]!;
    queue[head] = undefined; // done with: its listing can be collected
    const entries = await folder.listing;
    if ('error' in entries) {
      options.onError?.(folder.dir, entries.error);
      continue;
    }
    if (step.skips(folder, entries)) continue;
    const rules = step.hasGitignore(entries)
      ? step.rulesWith(folder, await fs.readFile(path.join(folder.dir, '.gitignore'), 'utf8').catch((e: Error) => e))
      : folder.rules;
    const batch = step.files(folder, rules, entries, enqueue);
    if (batch.length) yield batch;
  }
}

/**
 * The same walk, synchronously, in the same order: for the CLI, whose main thread has nothing to
 * do until the walk is over. A few hundred folders list in a few milliseconds this way; through
 * promises and the thread pool, the hops between them cost several times that.
 */
export function discoverFilesSync(root: string, options: DiscoveryOptions = {}): string[] {
  const step = new WalkStep(root, options);
  const queue: Folder[] = [{ dir: root, relDir: '', rules: [] }];
  const enqueue = (f: Folder): void => {
    queue.push(f);
  };
  const out: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    if (options.isCancelled?.()) break;
    const folder = queue[head];
    let entries: Dirent[];
    try {
      entries = fsSync.readdirSync(folder.dir, { withFileTypes: true });
    } catch (e) {
      options.onError?.(folder.dir, (e as Error).message);
      continue;
    }
    if (step.skips(folder, entries)) continue;
    let rules = folder.rules;
    if (step.hasGitignore(entries)) {
      let text: string | Error;
      try {
        text = fsSync.readFileSync(path.join(folder.dir, '.gitignore'), 'utf8');
      } catch (e) {
        text = e as Error;
      }
      rules = step.rulesWith(folder, text);
    }
    for (const f of step.files(folder, rules, entries, enqueue)) out.push(f);
  }
  return out;
}
