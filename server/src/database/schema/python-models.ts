/**
 * Python ORM models of a workspace → DDL for the embedded database: Django `models.py` (with the
 * settings and `AppConfig`s that decide the id type), SQLAlchemy/SQLModel/Flask-SQLAlchemy
 * declarations and Peewee models. Files are parsed with the linter's tree-sitter grammar; only files that can declare
 * models are parsed at all.
 */
import * as path from 'node:path';
import type { ModelFact } from '../../languages/facts';
import { alembicIndexes, ALEMBIC_HINT } from '../../languages/python/alembic-indexes';
import { createPythonParser } from '../../languages/python/python-language';
import type { Node } from '../../languages/python/tree';
import { contribAppsImported, DJANGO_CONTRIB_APPS, DJANGO_CONTRIB_AUTO_FIELD, DJANGO_CONTRIB_FILE, DJANGO_CONTRIB_SOURCE } from './django-contrib';
import { djangoDdl, type DjangoModule, type DjangoSettings } from './django-ddl';
import { lastName, moduleAssignments, moduleClasses, stringLiteral, type PyClass } from './python-classes';
import { peeweeDdl } from './peewee-ddl';
import type { PeeweeModule } from './peewee-tables';
import { quoteSqlalchemy, sqlalchemyDdl, type SqlalchemyModule } from './sqlalchemy-ddl';
import { createdTables } from './typeorm-ddl';
import type { SchemaStatement } from './workspace-schema';

export interface PythonSourceFile {
  /** Relative to the workspace root, `/`-separated. */
  rel: string;
  text: string;
}

export interface PythonModelsDdl {
  statements: SchemaStatement[];
  /** Files that declared models. */
  files: string[];
}

const SQLALCHEMY_IMPORT = /^(sqlalchemy|sqlmodel|flask_sqlalchemy)(\.|$)/;
const DJANGO_IMPORT = /^django(\.|$)/;
const PEEWEE_IMPORT = /^(peewee|playhouse)(\.|$)/;

/**
 * Whether a file is worth parsing: a models module, settings, an AppConfig, SQLAlchemy table
 * declarations, a module that imports Peewee, or model classes with Peewee-style fields (subclasses
 * of a `BaseModel` another module declares).
 */
export function mayDeclareModels(rel: string, text: string): boolean {
  return (
    isDjangoModels(rel) || isSettings(rel) || path.posix.basename(rel) === 'apps.py' || /__tablename__|table\s*=\s*True|\bTable\(|db\.Model\b/.test(text) || ALEMBIC_HINT.test(text) ||
    // Bases, mixins, column helpers and column types that model modules import (Mistral's model_base.py, types.py).
    (/\bsqlalchemy\b/.test(text) && /\b(Column|mapped_column|TypeDecorator)\b/.test(text)) ||
    /^\s*(from|import)\s+(peewee|playhouse)\b/m.test(text) || (/\bclass\s+\w+\s*\(\s*[\w.]*Model\s*\)/.test(text) && /\w+Field\s*\(/.test(text))
  );
}

/**
 * `rootName`: the workspace folder's name, the app's label when the workspace is the app itself
 * (a reusable app's package opened on its own: `hyperkitty/models/thread.py` is `models/thread.py`).
 * `contribImported`: Django's own apps the workspace's other modules import from (its views'
 * `from django.contrib.sites.models import Site`), for a workspace without settings.
 */
export async function pythonModelsDdl(files: readonly PythonSourceFile[], rootName = '', contribImported: ReadonlySet<string> = new Set()): Promise<PythonModelsDdl> {
  const appOf = (rel: string): string => appFolder(rel) || rootName;
  const django: DjangoModule[] = [];
  const sqlalchemy: SqlalchemyModule[] = [];
  const peewee: PeeweeModule[] = [];
  const peeweeSources = new Set<string>();
  const undecided: Array<DjangoModule & { models: boolean }> = [];
  const settings: DjangoSettings = {};
  /** Django's own apps the settings install; undefined when no settings module lists INSTALLED_APPS. */
  let installedContrib: Set<string> | undefined;
  const appAutoFields = new Map<string, string>();
  if (files.length === 0) return { statements: [], files: [] };
  const alembic: Array<{ model: ModelFact; source: string }> = [];
  const parser = await createPythonParser();
  const trees: Array<{ delete(): void }> = [];
  try {
    for (const file of [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
      const tree = parser.parse(file.text);
      if (!tree) continue;
      trees.push(tree);
      const root = tree.rootNode;
      const imports = importedModules(root);
      if (isSettings(file.rel)) {
        const assigned = moduleAssignments(root);
        settings.defaultAutoField ??= stringLiteral(assigned.get('DEFAULT_AUTO_FIELD'));
        settings.authUserModel ??= stringLiteral(assigned.get('AUTH_USER_MODEL'));
        // Read as text: INSTALLED_APPS is often put together from lists (DJANGO_APPS + LOCAL_APPS).
        if (/\bINSTALLED_APPS\b/.test(file.text)) {
          installedContrib ??= new Set();
          for (const [label, entry] of DJANGO_CONTRIB_APPS) if (new RegExp(`["']${entry.replace(/\./g, '\\.')}(\\.apps\\.\\w+)?["']`).test(file.text)) installedContrib.add(label);
        }
      }
      const classes = moduleClasses(root);
      if (path.posix.basename(file.rel) === 'apps.py') {
        for (const cls of classes) {
          const attrs = new Map(cls.attributes.map((a) => [a.name, a.value]));
          const auto = stringLiteral(attrs.get('default_auto_field'));
          if (!auto) continue;
          const label = stringLiteral(attrs.get('label')) ?? lastName(stringLiteral(attrs.get('name')) ?? appOf(file.rel));
          appAutoFields.set(label, auto);
        }
      }
      // An Alembic migration: the indexes it makes by hand, for the models' tables (alembicIndexDdl).
      // Its `sa.Table(…)` declarations (the columns a data migration reads, Gnocchi's) are not models.
      if (ALEMBIC_HINT.test(file.text) || imports.includes('alembic')) {
        if (ALEMBIC_HINT.test(file.text)) for (const m of orEmpty(() => alembicIndexes(root))) alembic.push({ model: m, source: file.rel });
        continue;
      }
      const usesSqlalchemy = imports.some((m) => SQLALCHEMY_IMPORT.test(m)) || /__tablename__/.test(file.text);
      const usesPeewee = imports.some((m) => PEEWEE_IMPORT.test(m));
      if (usesPeewee) peeweeSources.add(file.rel);
      if (usesSqlalchemy) sqlalchemy.push({ root, classes, source: file.rel });
      else if (usesPeewee) peewee.push({ classes, source: file.rel });
      else if (imports.some((m) => DJANGO_IMPORT.test(m))) {
        if (isDjangoModels(file.rel)) django.push({ classes, app: appOf(file.rel), source: file.rel });
      } else if (classes.length > 0) {
        // No import says which ORM: classes that may extend a BaseModel another module declares.
        undecided.push({ classes, app: appOf(file.rel), source: file.rel, models: isDjangoModels(file.rel) });
      }
    }
    // In a Peewee project they are Peewee's (Peewee's reader keeps only classes that lead to its Model); else a models.py is Django's.
    for (const { models, ...m } of undecided) {
      if (peeweeSources.size) peewee.push(m);
      else if (models) django.push(m);
    }
    peewee.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    if (django.length) {
      const tree = parser.parse(DJANGO_CONTRIB_SOURCE);
      if (tree) {
        trees.push(tree);
        const imported = new Set([...contribImported, ...files.flatMap((f) => contribAppsImported(f.text))]);
        django.unshift(djangoContrib(moduleClasses(tree.rootNode), django, installedContrib ?? new Set(['auth', 'contenttypes', ...imported]), settings.authUserModel));
        for (const label of DJANGO_CONTRIB_APPS.keys()) if (!appAutoFields.has(label)) appAutoFields.set(label, DJANGO_CONTRIB_AUTO_FIELD);
      }
    }
    settings.appAutoFields = appAutoFields;
    // Each ORM's reader on its own: declarations one cannot read leave the others' tables.
    const statements = [
      ...orEmpty(() => djangoDdl(django, settings)),
      ...orEmpty(() => sqlalchemyDdl(sqlalchemy)),
      ...(peeweeSources.size ? orEmpty(() => peeweeDdl(peewee, peeweeSources)) : []),
    ];
    statements.push(...alembicIndexDdl(alembic, createdTables(statements)));
    return { statements, files: [...new Set(statements.map((s) => s.source))].filter((f) => f !== DJANGO_CONTRIB_FILE).sort() };
  } finally {
    // The statements are plain strings; the trees go now (WASM memory is not garbage-collected).
    for (const tree of trees) tree.delete();
    parser.delete();
  }
}

/**
 * The models of Django's own apps a Django workspace has tables for (django-contrib.ts), of `apps`:
 * those its settings install, else (a reusable app opened on its own) auth and contenttypes, which
 * every project installs, and those its modules import from. `auth.User` is left out when
 * AUTH_USER_MODEL swaps it, and any model the workspace declares itself (Django's own source) wins.
 */
function djangoContrib(classes: PyClass[], workspace: readonly DjangoModule[], apps: ReadonlySet<string>, authUserModel: string | undefined): DjangoModule {
  const declared = new Set(workspace.flatMap((m) => m.classes.map((c) => `${stringLiteral(c.meta.get('app_label')) ?? m.app}.${c.name}`)));
  const swapped = !!authUserModel && authUserModel.toLowerCase() !== 'auth.user';
  const kept = classes.filter((c) => {
    const label = stringLiteral(c.meta.get('app_label'));
    // The abstract user models make no table; a custom user model extends them.
    if (!label) return !declared.has(`auth.${c.name}`);
    if (declared.has(`${label}.${c.name}`) || !apps.has(label)) return false;
    return !(swapped && label === 'auth' && c.name === 'User');
  });
  return { classes: kept, app: 'auth', source: DJANGO_CONTRIB_FILE };
}

/**
 * The plain indexes Alembic migrations make on the models' tables (OpenStack's hand-written
 * `op.create_index`): the rule counts them (unindexed-foreign-key), and the embedded database has
 * them too. Unique ones are left out: they would constrain generated data the models do not.
 */
function alembicIndexDdl(found: ReadonlyArray<{ model: ModelFact; source: string }>, tables: ReadonlySet<string>): SchemaStatement[] {
  const q = quoteSqlalchemy;
  const out: SchemaStatement[] = [];
  for (const { model, source } of found) {
    if (!tables.has(model.name.toLowerCase())) continue;
    for (const ix of model.indexes ?? []) {
      const name = ix.name ?? `ix_${model.name}_${ix.columns.join('_')}`;
      out.push({ sql: `CREATE INDEX IF NOT EXISTS ${q(name)} ON ${q(model.name)} (${ix.columns.map(q).join(', ')});`, source });
    }
  }
  return out;
}

function orEmpty<T>(make: () => T[]): T[] {
  try {
    return make();
  } catch {
    return [];
  }
}

function isDjangoModels(rel: string): boolean {
  return path.posix.basename(rel) === 'models.py' || /(^|\/)models\/[^/]+\.py$/.test(rel);
}

function isSettings(rel: string): boolean {
  return /(^|\/)settings(\.py|\/[^/]+\.py)$/.test(rel);
}

/** The app label: the folder of `models.py`, or the folder that holds the `models/` package. */
function appFolder(rel: string): string {
  const parts = rel.split('/');
  parts.pop();
  if (parts[parts.length - 1] === 'models' && path.posix.basename(rel) !== 'models.py') parts.pop();
  return parts[parts.length - 1] ?? '';
}

function importedModules(root: Node): string[] {
  const out: string[] = [];
  for (const st of root.namedChildren) {
    if (st?.type === 'import_from_statement') out.push(st.childForFieldName('module_name')?.text ?? '');
    else if (st?.type === 'import_statement') for (const n of st.childrenForFieldName('name')) if (n) out.push(n.text.split(' as ')[0].trim());
  }
  return out;
}
