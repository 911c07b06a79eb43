import type { LanguageId } from '../languages/facts';
import { LineIndex } from './line-index';

/** One file's text as the engine sees it: from disk (CLI, index) or from an open editor buffer. */
export class SourceFile {
  private lines?: LineIndex;

  constructor(
    /** Absolute path (or the URI's path for untitled buffers). */
    readonly path: string,
    readonly language: LanguageId,
    readonly text: string,
    readonly version = 0,
  ) {}

  get lineIndex(): LineIndex {
    return (this.lines ??= new LineIndex(this.text));
  }
}

const EXTENSIONS: Record<string, LanguageId> = {
  '.ts': 'typescript', '.tsx': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.js': 'typescript', '.jsx': 'typescript', '.mjs': 'typescript', '.cjs': 'typescript',
  '.py': 'python', '.pyi': 'python',
  '.sql': 'sql',
  '.prisma': 'prisma',
};

const LANGUAGE_IDS: Record<string, LanguageId> = {
  typescript: 'typescript', typescriptreact: 'typescript', javascript: 'typescript', javascriptreact: 'typescript',
  python: 'python', sql: 'sql', prisma: 'prisma',
};

export function languageOfPath(path: string): LanguageId | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[path.slice(dot).toLowerCase()];
}

/** Maps an editor's languageId to an adapter, falling back to the file extension. */
export function languageOfDocument(languageId: string, path: string): LanguageId | undefined {
  return LANGUAGE_IDS[languageId] ?? languageOfPath(path);
}
