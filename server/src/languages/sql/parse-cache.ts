/**
 * Parse results by (dialect, text), least recently used first out. The same strings come back
 * again and again: every hole mode of a template that has no holes, the same fragment in many
 * files of one codebase (`sql\`count(*)\``), and the editor's re-lint of an unchanged string after
 * each keystroke. Failures are kept too: they are most of what a workspace scan tries.
 * Programs are shared between callers, which only read them.
 */
import type { Program } from 'sql-parser-cst';
import type { SqlDialect } from '../facts';

export type CachedParse = { program: Program } | { error: Error };

/** Bounds: entries, and characters of SQL held (a program is a few dozen times its text). */
const MAX_ENTRIES = 4096;
const MAX_CHARS = 1024 * 1024;
/** Longer texts are parsed each time: rare, and they would push out many small ones. */
const MAX_TEXT = 16 * 1024;

export class ParseCache {
  private readonly entries = new Map<string, CachedParse>();
  private chars = 0;

  constructor(private readonly maxEntries = MAX_ENTRIES, private readonly maxChars = MAX_CHARS) {}

  get size(): number {
    return this.entries.size;
  }

  get(dialect: SqlDialect, text: string, parse: () => CachedParse): CachedParse {
    if (text.length > MAX_TEXT) return parse();
    const key = `${dialect}\0${text}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as the most recent.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const result = parse();
    this.entries.set(key, result);
    this.chars += key.length;
    while (this.entries.size > this.maxEntries || this.chars > this.maxChars) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
    return result;
  }
}
