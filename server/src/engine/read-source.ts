/** Reads a file for analysis, refusing what is not source code (binary, non-UTF-8, huge). */
import { createHash } from 'node:crypto';
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * `hash`: SHA-1 of the file's bytes, when the reader was asked for it (the CLI's cache key);
 * `stat`: the file's status as it was opened, when asked for (what the cache checks next time).
 */
export type ReadResult = { text: string; hash?: string; stat?: fsSync.Stats } | { skipped: string };

const TOO_LARGE = { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };

export async function readSource(file: string): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return TOO_LARGE;
    bytes = await fs.readFile(file);
  } catch (e) {
    return { skipped: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  return decodeSource(bytes);
}

/**
 * The same, blocking: for the CLI, which has nothing else to do meanwhile and reads thousands of
 * files, where a promise and a thread-pool hop per file cost more than the reading. With `hash`, the
 * result carries the SHA-1 of the bytes: hashing bytes costs a fraction of hashing the decoded text.
 */
export function readSourceSync(file: string, options: { hash?: boolean; stat?: boolean } = {}): ReadResult {
  let bytes: Buffer;
  let fd: number | undefined;
  let stat: fsSync.Stats;
  try {
    fd = fsSync.openSync(file, 'r');
    stat = fsSync.fstatSync(fd);
    if (stat.size > MAX_FILE_BYTES) return TOO_LARGE;
    bytes = fsSync.readFileSync(fd);
  } catch (e) {
    return { skipped: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    if (fd !== undefined) fsSync.closeSync(fd);
  }
  const result = decodeSource(bytes);
  if (options.hash && 'text' in result) result.hash = bytesHash(bytes);
  if (options.stat && 'text' in result) result.stat = stat;
  return result;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeSource(bytes: Buffer): ReadResult {
  if (bytes.subarray(0, 8192).includes(0)) return { skipped: 'binary file' };
  try {
    return { text: UTF8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { skipped: 'not UTF-8' };
  }
}

export function bytesHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
