/**
 * What one CLI run knows of each file: the hash of its bytes (the cache key) and, once something
 * needed it, its text. A file the cache recorded a status for (lint-cache.ts, FileStatus) is
 * first only stat'ed: with the same size, times and inode it still has the recorded content, and is
 * read only if its text is asked for (to analyse it, or to show its findings).
 *
 * A status is recorded only for a file last modified well before this run began (STATUS_MARGIN_MS),
 * as git does with "racy" index entries: a write in the same tick of a coarse clock (FAT keeps two
 * seconds) as the read could otherwise leave every field of the status as it was. The change time
 * is part of the status too: it moves even when a tool puts the old modification time back.
 */
import * as fs from 'node:fs';
import { MAX_FILE_BYTES, bytesHash, readSourceSync } from '../engine/read-source';
import { fileStatus, sameStatus, type LintCache } from './lint-cache';

/** `text` is there once it was read this run; `hash` always (of the bytes, as the cache keys them). */
export type FileState = { hash: string; text?: string } | { skipped: string };

/** Why a file could not be opened when there is no such file (readSourceSync's reasons are error codes). */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** How long before the run a file's last write must be for its status to be trusted next time. */
const STATUS_MARGIN_MS = 5_000;

/** The file's status, or null when it cannot be had (no such file, a file in its path, no access). */
function statOrNull(file: string): fs.Stats | null {
  try {
    // Without an error to build for the common "no such file".
    return fs.statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

export class FileStates {
  private readonly states = new Map<string, FileState>();
  private readonly depHashes = new Map<string, string | null>();
  private readonly startedAt = Date.now();
  /** Files whose text this run read. */
  reads = 0;

  constructor(private readonly cache: LintCache | undefined) {}

  /** The file's hash, from its status when the cache vouches for it, else from reading it. */
  state(file: string): FileState {
    let state = this.states.get(file);
    if (!state) {
      state = this.known(file) ?? this.read(file);
      this.states.set(file, state);
    }
    return state;
  }

  /** The file with its text: read now if only its status was looked at (and re-hashed then). */
  withText(file: string): { hash: string; text: string } | { skipped: string } {
    const state = this.state(file);
    if ('skipped' in state || state.text !== undefined) return state as { hash: string; text: string } | { skipped: string };
    const read = this.read(file);
    this.states.set(file, read);
    return read as { hash: string; text: string } | { skipped: string };
  }

  /**
   * A dependency's hash (a file a helper lookup looked at), or null when it is not a readable file.
   * Unlike state(), a file that is not source code still has a hash: the one of its bytes.
   */
  depHash(file: string): string | null {
    let hash = this.depHashes.get(file);
    if (hash !== undefined) return hash;
    // Most files a helper lookup tried do not exist (and many files tried the same ones): found
    // so once, without the cost of a failed open.
    if (!this.states.has(file) && !this.cache?.statOf(file) && !statOrNull(file)) {
      this.depHashes.set(file, null);
      return null;
    }
    const state = this.state(file);
    if ('hash' in state) return state.hash;
    if (MISSING.has(state.skipped)) return null;
    try {
      hash = bytesHash(fs.readFileSync(file));
    } catch {
      hash = null;
    }
    this.depHashes.set(file, hash);
    return hash;
  }

  private known(file: string): FileState | undefined {
    const recorded = this.cache?.statOf(file);
    if (recorded === undefined) return undefined;
    const stat = statOrNull(file);
    if (!stat) return undefined;
    if (stat.size > MAX_FILE_BYTES || !sameStatus(recorded, stat)) return undefined;
    const hash = this.cache!.hashOf(file);
    return hash === undefined ? undefined : { hash };
  }

  private read(file: string): FileState {
    const read = readSourceSync(file, { hash: true, stat: true });
    if ('skipped' in read) return read;
    this.reads++;
    const { text, hash, stat } = read as { text: string; hash: string; stat: fs.Stats };
    // A later write sets the modification time to its own time: unless this one is well before
    // the run, the two could fall in the same tick.
    const settled = stat.mtimeMs < this.startedAt - STATUS_MARGIN_MS;
    if (settled) this.cache?.update(file, hash, { stat: fileStatus(stat) });
    return { hash, text };
  }
}
