/** Translates the ORM call at a marker of an in-memory workspace, through the engine's real facts. */
import { testEngine } from '../../harness/engine';
import { SourceFile, languageOfPath } from '../../../server/src/engine/source-file';
import { WorkspaceModels } from '../../../server/src/engine/workspace-models';
import { drizzleCasingIn } from '../../../server/src/languages/typescript/drizzle-casing';
import { translateOrmCall } from '../../../server/src/database/orm-sql/orm-call-sql';
import { workspaceOrmSources } from '../../../server/src/database/orm-sql/workspace-sources';
import type { OrmTranslation } from '../../../server/src/database/orm-sql/translation';

/** `files`: path → text. The call is the innermost query around `at`'s first occurrence in `file`. */
export async function translateIn(files: Record<string, string>, file: string, at: string): Promise<OrmTranslation> {
  const engine = await testEngine();
  const text = files[file];
  const offset = text.indexOf(at);
  if (offset < 0) throw new Error(`\`${at}\` is not in ${file}`);
  const facts = engine.facts(new SourceFile(file, languageOfPath(file)!, text))!;
  const call = facts.queries.filter((q) => q.start <= offset && offset <= q.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
  if (!call) throw new Error(`no query fact at \`${at}\``);
  const models = new WorkspaceModels();
  // A drizzle.config among the files sets the casing, as the workspace's manifests do.
  const config = Object.keys(files).find((f) => /(^|\/)drizzle\.config\.\w+$/.test(f));
  if (config) models.drizzleCasing = drizzleCasingIn(files[config]);
  const sources = workspaceOrmSources(engine, models, (f) => files[f]);
  // Files the map does not hold do not exist (never the disk of the machine running the tests).
  const read = sources.read;
  sources.read = (f) => (f in files ? read(f) : undefined);
  return translateOrmCall(call, file, text, sources);
}

/**
 * A call mangled one piece at a time, deterministically: each object literal emptied, each
 * argument list emptied, each string and number replaced by a name, each value made `null`.
 */
export function* mangledCalls(code: string): Generator<string> {
  const each = function* (pattern: RegExp, replace: (m: string) => string): Generator<string> {
    for (const m of code.matchAll(pattern)) yield code.slice(0, m.index) + replace(m[0]) + code.slice(m.index! + m[0].length);
  };
  yield* each(/\{[^{}]*\}/g, () => '{}');
  yield* each(/\([^()]*\)/g, () => '()');
  yield* each(/'[^']*'|"[^"]*"/g, () => 'v');
  yield* each(/\b\d+\b/g, () => 'v');
  yield* each(/(?<=[:=] ?)[\w.'"]+(?=[,)}\s])/g, () => 'null');
}

/**
 * Every mangled form of `code` translates or is refused with the reason (UntranslatableCall), or is
 * no ORM call any more; nothing else is thrown (a TypeError would reach the user as it is). Returns
 * how many were still calls: a caller checks that some were.
 */
export async function assertTranslatesOrRefuses(translate: (code: string) => Promise<unknown>, code: string): Promise<number> {
  /** How many mangled forms were still ORM calls, translated or refused. */
  let reached = 0;
  for (const mangled of mangledCalls(code)) {
    await translate(mangled).then(
      () => reached++,
      (e: Error) => {
        if (e.name === 'UntranslatableCall') reached++;
        else if (!/^no query fact at|is not in \//.test(e.message)) throw new Error(`\`${mangled}\`: ${e.stack}`);
      },
    );
  }
  return reached;
}
