/** One engine for all tests, with every rule and adapter, loaded once (the Python WASM takes a moment). */
import * as path from 'node:path';
import { Engine, type Analysis } from '../../server/src/engine/analyze';
import { mergeSettings } from '../../server/src/engine/config';
import type { Edit, Fix } from '../../server/src/engine/finding';
import { SourceFile, languageOfPath } from '../../server/src/engine/source-file';
import { WorkspaceFunctions } from '../../server/src/engine/workspace-functions';
import { databasesOf, jobQueuesOf, manifestDependencies } from '../../server/src/engine/workspace-databases';
import { drizzleCasingIn } from '../../server/src/languages/typescript/drizzle-casing';
import { WorkspaceModels } from '../../server/src/engine/workspace-models';
import { createAdapters } from '../../server/src/languages';
import { isPrismaSchema, prismaSchemaModels } from '../../server/src/languages/prisma/schema-models';
import type { PerflensSettings } from '../../server/src/protocol';
import { ALL_RULES } from '../../server/src/rules';

/** The repository root, from out/test/harness (compiled) or test/harness (sources). */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');

let shared: Promise<Engine> | undefined;
export const engineLog: string[] = [];

export function testEngine(): Promise<Engine> {
  return (shared ??= (async () => {
    const engine = new Engine(ALL_RULES, createAdapters(), (m) => engineLog.push(m));
    await engine.init();
    return engine;
  })());
}

/**
 * Lints `code` as if it were `<project>/src/<file>`: a request path (not under test/), so
 * severities are the rules' own.
 */
export interface Workspace {
  models: WorkspaceModels;
  functions: WorkspaceFunctions;
  /** The files it was made of. */
  files: Record<string, string>;
}

export function lintText(engine: Engine, code: string, file: string, settings?: Partial<PerflensSettings>, workspace?: Workspace): Analysis {
  const abs = path.posix.join('/project/src', file);
  const language = languageOfPath(abs);
  if (!language) throw new Error(`no language for ${file}`);
  return engine.analyze(new SourceFile(abs, language, code), mergeSettings(settings), { models: workspace?.models, functions: workspace?.functions });
}

/** What other files of a test case define (a Django models.py, a services module with query helpers). */
export function workspaceFrom(engine: Engine, files: Record<string, string>): Workspace {
  const workspace: Workspace = { models: new WorkspaceModels(), functions: new WorkspaceFunctions(), files };
  // Manifests name the drivers, hence the databases, and the job queues (workspace-databases.ts).
  const manifests = Object.entries(files).filter(([name]) => /(^|\/)(package\.json|requirements[\w-]*\.txt|pyproject\.toml|Pipfile)$/.test(name));
  if (manifests.length) {
    const deps = manifests.flatMap(([name, text]) => manifestDependencies(path.posix.basename(name), text));
    workspace.models.databases = databasesOf(deps);
    workspace.models.jobQueues = jobQueuesOf(deps);
    workspace.models.packages = manifests
      .filter(([name]) => path.posix.basename(name) === 'package.json')
      .map(([name, text]) => ({ dir: path.posix.dirname(path.posix.join('/project/src', name)), dependencies: manifestDependencies('package.json', text, true) }));
  }
  // drizzle.config's casing names Drizzle's unnamed columns (workspace-databases.ts).
  const drizzleConfig = Object.entries(files).find(([name]) => /(^|\/)drizzle\.config\.\w+$/.test(name));
  if (drizzleConfig) workspace.models.drizzleCasing = drizzleCasingIn(drizzleConfig[1]);
  for (const [name, code] of Object.entries(files)) {
    if (manifests.some(([m]) => m === name)) continue;
    const abs = path.posix.join('/project/src', name);
    if (isPrismaSchema(abs)) {
      workspace.models.set(abs, prismaSchemaModels(code));
      continue;
    }
    const facts = engine.facts(new SourceFile(abs, languageOfPath(abs)!, code));
    workspace.models.set(abs, facts?.models ?? []);
    workspace.functions.set(abs, facts ?? {});
  }
  return workspace;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].end > sorted[i - 1].start) throw new Error(`overlapping edits at ${sorted[i].start}..${sorted[i].end}`);
  }
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}
