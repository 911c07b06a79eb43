import type { SourceFile } from '../engine/source-file';
import type { FileFacts, LanguageId } from './facts';

/**
 * A language adapter parses a file once and returns its facts. `init` loads anything heavy
 * (the Python grammar's WASM) and is awaited once before the first `facts` call.
 */
export interface LanguageAdapter<F extends FileFacts = FileFacts> {
  readonly language: LanguageId;
  init(): Promise<void>;
  facts(file: SourceFile): F;
  /** Drops any per-file state kept for incremental parsing. */
  forget?(path: string): void;
}
