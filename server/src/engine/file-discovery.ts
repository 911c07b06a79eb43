/**
 * Finds the files to analyse under a workspace root: supported extensions only, honouring
 * .gitignore files (nested ones too) and skipping dependency folders, virtualenvs and build output
 * even without a .gitignore, since those dwarf a project's own code.
 */
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

type Listing = import('node:fs').Dirent[] | { error: string };

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
 * folder).
 */
export async function* discoverFileBatches(root: string, options: DiscoveryOptions = {}): AsyncGenerator<string[]> {
  /** `relDir`: relative to the root, '/'-separated, '' for the root. */
  const queue: Array<{ dir: string; relDir: string; rules: IgnoreRule[]; listing: Promise<Listing> } | undefined> = [{ dir: root, relDir: '', rules: [], listing: list(root) }];
  const filter = options.filter;
  const relativeToFilter = filter?.root === root;
  for (let head = 0; head < queue.length; head++) {
    if (options.isCancelled?.()) return;
    const { dir, relDir, rules: inherited, listing } = queue[head]!;
    queue[head] = undefined; // done with: its listing can be collected
    const entries = await listing;
    if ('error' in entries) {
      options.onError?.(dir, entries.error);
      continue;
    }
    // A virtualenv has no fixed name; its marker file gives it away.
    if (dir !== root && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile())) continue;
    let rules = inherited;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        rules = [...inherited, ...parseGitignore(await fs.readFile(path.join(dir, '.gitignore'), 'utf8'), relDir)];
      } catch (e) {
        options.onError?.(path.join(dir, '.gitignore'), (e as Error).message);
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // `dir` is absolute and normalized: joining is appending (path.join would normalize again).
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const batch: string[] = [];
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const full = prefix + entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name) || ignored(rules, rel, true)) continue;
        queue.push({ dir: full, relDir: rel, rules, listing: list(full) });
      } else if (entry.isFile()) {
        if (!(options.match ? options.match(entry.name) : (languageOfPath(entry.name) || (options.schemas && isPrismaSchema(entry.name)))) || SKIPPED_FILES.test(entry.name) || ignored(rules, rel, false)) continue;
        if (filter && !(relativeToFilter ? filter.acceptsRelative(rel) : filter.accepts(full))) continue;
        batch.push(full);
      }
    }
    if (batch.length) yield batch;
  }
}
