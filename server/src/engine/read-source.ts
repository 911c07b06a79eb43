/** Reads a file for analysis, refusing what is not source code (binary, non-UTF-8, huge). */
import * as fs from 'node:fs/promises';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadResult = { text: string } | { skipped: string };

export async function readSource(file: string): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    bytes = await fs.readFile(file);
  } catch (e) {
    return { skipped: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { skipped: 'binary file' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { skipped: 'not UTF-8' };
  }
}
