/**
 * "The query at the cursor" for `perflens.explain` and `perflens.benchmark`: a statement of a .sql
 * file, or SQL in a string or tagged template of code, as the language adapters found it
 * (`facts.sql`). ORM calls are not translated to SQL yet.
 */
import * as fs from 'node:fs';
import type { Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../context';
import { toDollarPlaceholders } from '../database/placeholders';
import { SourceFile, languageOfDocument } from '../engine/source-file';
import { uriToPath } from '../uri';

export interface SqlAtPosition {
  sql: string;
  /** The statement's range in the document (for the client to decorate). */
  range: { start: Position; end: Position };
}

export async function sqlAtPosition(ctx: ServerContext, uri: string, position: Position): Promise<SqlAtPosition | undefined> {
  const doc = ctx.documents.get(uri) ?? readDocument(uri);
  if (!doc) return undefined;
  const path = uriToPath(uri);
  const language = languageOfDocument(doc.languageId, path);
  if (!language) return undefined;
  await ctx.engine.init();
  const facts = ctx.engine.facts(new SourceFile(path, language, doc.getText(), doc.version));
  const offset = doc.offsetAt(position);
  // The innermost statement around the cursor; at the end of a line, the one that ends there.
  const hits = (facts?.sql ?? []).filter((s) => s.start <= offset && offset <= s.end).sort((a, b) => a.end - a.start - (b.end - b.start));
  const hit = hits[0];
  if (!hit) return undefined;
  const sql = hit.dialect === 'postgresql' ? hit.text : toDollarPlaceholders(hit.text);
  return { sql, range: { start: doc.positionAt(hit.start), end: doc.positionAt(hit.end) } };
}

export function readDocument(uri: string): TextDocument | undefined {
  try {
    const path = uriToPath(uri);
    const ext = path.slice(path.lastIndexOf('.') + 1);
    const languageId = { ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript', py: 'python', sql: 'sql' }[ext] ?? ext;
    return TextDocument.create(uri, languageId, 0, fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
