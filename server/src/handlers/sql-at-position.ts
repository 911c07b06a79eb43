/**
 * "The query at the cursor" for `perflens.explain` and `perflens.benchmark`: a statement of a .sql
 * file, or SQL in a string or tagged template of code, as the language adapters found it
 * (`facts.sql`); else the ORM call there (`facts.queries`), translated to the SQL it issues. An ORM
 * call that cannot be translated exactly throws `UntranslatableCall`, which says what is missing.
 */
import * as fs from 'node:fs';
import type { Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../context';
import { translateOrmCall } from '../database/orm-sql/orm-call-sql';
import { workspaceOrmSources } from '../database/orm-sql/workspace-sources';
import { toDollarPlaceholders } from '../database/placeholders';
import { SourceFile, languageOfDocument } from '../engine/source-file';
import { uriToPath } from '../uri';

export interface SqlAtPosition {
  sql: string;
  /** The statement's (or ORM call's) range in the document (for the client to decorate). */
  range: { start: Position; end: Position };
  /** `sql`: SQL written in the code; `orm`: an ORM call translated to the SQL it issues. */
  origin: 'sql' | 'orm';
  /** For ORM calls: `prisma.post.findMany → SQL`. */
  description?: string;
  /** For ORM calls: run-time values behind the placeholders, further queries (includes), assumptions. */
  notes?: string[];
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
  if (hit) {
    const sql = hit.dialect === 'postgresql' ? hit.text : toDollarPlaceholders(hit.text);
    return { sql, range: { start: doc.positionAt(hit.start), end: doc.positionAt(hit.end) }, origin: 'sql' };
  }
  const call = (facts?.queries ?? []).filter((q) => q.start <= offset && offset <= q.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
  if (!call) return undefined;
  const openText = (file: string): string | undefined => [...ctx.documents.all()].find((d) => uriToPath(d.uri) === file)?.getText();
  const translated = translateOrmCall(call, path, doc.getText(), workspaceOrmSources(ctx.engine, ctx.index.models, openText));
  return { ...translated, range: { start: doc.positionAt(call.start), end: doc.positionAt(call.end) }, origin: 'orm' };
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
