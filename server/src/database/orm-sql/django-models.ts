/**
 * Django models as the translator needs them, read from the `models.py` that defines them: the
 * table (`Meta.db_table`, else `<app_label>_<model name in lower case>`), columns (`db_column`,
 * else the field name, `<name>_id` for a foreign key), the implicit `id` primary key, `Meta.ordering`
 * (a default ORDER BY), and many-to-many join tables (`<table>_<field>`, with `<model>_id` columns).
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { isUserModelReference, swappableSetting, swapsFor } from '../../languages/python/models';
import { assignmentStatements } from '../../languages/python/tree';
import { DJANGO_CONTRIB_FILE, DJANGO_CONTRIB_SOURCE } from '../schema/django-contrib';
import type { OrmSources } from './orm-call-sql';
import { moduleFile, readImports } from './python-modules';
import { pyConstant, pyString } from './python-values';

export interface DjangoField {
  name: string;
  /** The column; for a many-to-many field, none (it lives in the join table). */
  column?: string;
  kind: 'column' | 'foreign-key' | 'many-to-many';
  /** Django's field class (`CharField`); text lookups cast other types to text. */
  type: string;
  target?: string;
  nullable: boolean;
  primaryKey: boolean;
  /** Many-to-many: the join table, and its columns for this model and the target. */
  through?: { table: string; own: string; other: string };
  /**
   * A foreign key: the name its target's queries use for the way back (`related_query_name`, else
   * `related_name`, else this model's name in lower case); none for `related_name="+"`.
   */
  queryName?: string;
}

export interface DjangoModel {
  name: string;
  /** `Meta.swappable`: the setting that may replace it (`OAUTH2_PROVIDER_APPLICATION_MODEL`). */
  swappable?: string;
  table: string;
  fields: DjangoField[];
  ordering: string[];
  /** Multi-table inheritance or a custom `through` model: not translated. */
  unsupported?: string;
  /** The module that declares it. */
  file?: string;
}

const TEXT_TYPES = /^(CharField|TextField|EmailField|SlugField|URLField)$/;

/** An abstract model's fields, as its subclasses inherit them. */
interface AbstractModel {
  fields: DjangoField[];
  table: string;
}

export class DjangoModels {
  private readonly cache = new Map<string, DjangoModel | undefined>();
  private readonly parsedFiles = new Map<string, { models: DjangoModel[]; imports: ReadonlyMap<string, string> }>();

  constructor(private readonly file: string, private readonly sources: OrmSources) {}

  model(name: string): DjangoModel | undefined {
    if (!this.cache.has(name)) this.cache.set(name, this.find(name));
    return this.cache.get(name);
  }

  private find(name: string): DjangoModel | undefined {
    const setting = swappableSetting(name);
    if (setting) return this.swappable(setting);
    // `User`: the user model, which the project's settings may swap (`AUTH_USER_MODEL = "accounts.Account"`).
    if (name === 'User') {
      const swapped = this.project()?.authUserModel;
      const model = swapped && swapped.toLowerCase() !== 'auth.user' ? this.projectModel(swapped) : undefined;
      if (model) return model;
    }
    // The module the calling file imports the model from, and the one that module re-exports it from
    // (a `models/` package whose __init__.py imports from its submodules: django-guardian's).
    for (let file = this.file, depth = 0; depth < 4; depth++) {
      const { models, imports } = this.moduleOf(file);
      const own = models.find((x) => x.name === name);
      if (own) return own;
      const imported = imports.get(name);
      const next = imported ? moduleFile(imported.slice(0, imported.lastIndexOf('.')), file, (f) => this.sources.read(f) !== undefined) : undefined;
      if (!next || next === file) break;
      file = next;
    }
    const candidates = this.sources.modelFiles('django', name);
    // `from .models import Post`, `from blog.models import Post`: the app's models.py near the call.
    for (let dir = path.dirname(this.file), i = 0; i < 4; dir = path.dirname(dir), i++) {
      candidates.push(path.join(dir, 'models.py'), path.join(dir, 'models', '__init__.py'));
    }
    for (const f of candidates) {
      const m = this.moduleOf(f).models.find((x) => x.name === name);
      if (m) return m;
    }
    // Django's own models (`User`, `Group`, `ContentType`), which ship with Django, not the workspace.
    return this.contrib().models.find((x) => x.name === name);
  }

  /**
   * The way back from `target` named `name` (`comments` for `Comment.post = ForeignKey(Post,
   * related_name="comments")`): the model whose foreign key it is, looked for in the target's
   * module, the calling file's, the modules read so far and Django's own.
   */
  reverse(target: DjangoModel, name: string): { model: DjangoModel; field: DjangoField } | undefined {
    const files = new Set([target.file, this.file, ...this.parsedFiles.keys()].filter((f): f is string => !!f && f !== DJANGO_CONTRIB_FILE));
    const models = [...[...files].flatMap((f) => this.moduleOf(f).models), ...this.contrib().models];
    for (const m of models) {
      for (const f of m.fields) {
        if (f.kind !== 'foreign-key' || f.queryName !== name || !f.target) continue;
        if (f.target === target.name || this.model(f.target) === target) return { model: m, field: f };
      }
    }
    return undefined;
  }

  private projectInfo?: { root: string; authUserModel?: string } | null;

  /**
   * The Django project the file belongs to: the folder of the `manage.py` above it, and the
   * AUTH_USER_MODEL its settings module (`DJANGO_SETTINGS_MODULE`, or a module it star-imports) sets.
   */
  private project(): { root: string; authUserModel?: string } | undefined {
    if (this.projectInfo === undefined) {
      this.projectInfo = null;
      for (let dir = path.dirname(this.file), i = 0; i < 6; dir = path.dirname(dir), i++) {
        const manage = this.sources.read(path.join(dir, 'manage.py'));
        if (manage === undefined) continue;
        const module = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(manage)?.[1];
        const exists = (f: string): boolean => this.sources.read(f) !== undefined;
        const settings = module ? moduleFile(module, path.join(dir, 'manage.py'), exists) : undefined;
        const files = settings ? [settings] : [];
        // `from .base import *`: split settings.
        for (const m of settings ? (this.sources.read(settings) ?? '').matchAll(/^from\s+(\.[\w.]*)\s+import\s+\*/gm) : []) {
          const f = moduleFile(m[1], settings!, exists);
          if (f) files.push(f);
        }
        const authUserModel = files.map((f) => /^AUTH_USER_MODEL\s*=\s*["']([\w.]+)["']/m.exec(this.sources.read(f) ?? '')?.[1]).find((x) => !!x);
        this.projectInfo = { root: dir, authUserModel };
        break;
      }
    }
    return this.projectInfo ?? undefined;
  }

  /** `accounts.Account`: the model in the app's models module under the project's root, else by name. */
  private projectModel(label: string): DjangoModel | undefined {
    const [app, name] = label.split('.');
    const root = this.project()?.root;
    if (root && name) {
      for (const f of [path.join(root, app, 'models.py'), path.join(root, app, 'models', '__init__.py')]) {
        const m = this.moduleOf(f).models.find((x) => x.name === name);
        if (m) return m;
      }
    }
    return name && name !== 'User' ? this.model(name) : undefined;
  }

  /** The model a setting names (`APPLICATION_MODEL`): in this file or the models.py near it, by its Meta.swappable. */
  private swappable(setting: string): DjangoModel | undefined {
    const files = [this.file];
    for (let dir = path.dirname(this.file), i = 0; i < 4; dir = path.dirname(dir), i++) files.push(path.join(dir, 'models.py'), path.join(dir, 'models', '__init__.py'));
    for (const f of files) {
      const m = this.moduleOf(f).models.find((x) => swapsFor(x.swappable, setting));
      if (m) return m;
    }
    return undefined;
  }

  private moduleOf(file: string): { models: DjangoModel[]; imports: ReadonlyMap<string, string> } {
    let mod = this.parsedFiles.get(file);
    if (!mod) {
      // Before this file's tree: a tree is valid only until the next file is parsed, so it is read whole at once.
      const known = this.contrib().abstract;
      const text = this.sources.read(file);
      const root = text === undefined ? undefined : this.sources.pythonTree(file, text);
      mod = root ? { models: readModels(root, file, known).models, imports: readImports(root) } : { models: [], imports: new Map() };
      this.parsedFiles.set(file, mod);
    }
    return mod;
  }

  private contribModels?: { models: DjangoModel[]; abstract: ReadonlyMap<string, AbstractModel> };

  /** django-contrib.ts's declarations: its models, and the abstract user models a custom user extends. */
  private contrib(): { models: DjangoModel[]; abstract: ReadonlyMap<string, AbstractModel> } {
    if (!this.contribModels) {
      const root = this.sources.pythonTree(DJANGO_CONTRIB_FILE, DJANGO_CONTRIB_SOURCE);
      this.contribModels = root ? readModels(root, DJANGO_CONTRIB_FILE, new Map()) : { models: [], abstract: new Map() };
    }
    return this.contribModels;
  }
}

/** `blog/models.py` and `blog/models/post.py` → `blog`. */
function appLabel(file: string): string {
  const dir = path.dirname(file);
  return path.basename(path.basename(dir) === 'models' ? path.dirname(dir) : dir);
}

/** `known`: abstract models of other modules a class may extend (Django's `AbstractUser`). */
function readModels(root: Node, file: string, known: ReadonlyMap<string, AbstractModel>): { models: DjangoModel[]; abstract: Map<string, AbstractModel> } {
  const classes = root.descendantsOfType('class_definition').filter((c): c is Node => !!c);
  const abstract = new Map<string, AbstractModel>();
  const abstractBase = (b: string): AbstractModel | undefined => abstract.get(b) ?? known.get(b.split('.').pop()!);
  const out: DjangoModel[] = [];
  for (const cls of classes) {
    const name = cls.childForFieldName('name')?.text;
    const body = cls.childForFieldName('body');
    const bases = cls.childForFieldName('superclasses')?.namedChildren.map((b) => b?.text ?? '') ?? [];
    if (!name || !body) continue;
    const meta = body.namedChildren.find((c) => c?.type === 'class_definition' && c.childForFieldName('name')?.text === 'Meta') ?? undefined;
    const metaValue = (key: string): Node | undefined => {
      for (const { left, right } of assignmentStatements(meta?.childForFieldName('body'))) if (left?.text === key) return right ?? undefined;
      return undefined;
    };
    const isModel = bases.some((b) => /(^|\.)Model$/.test(b) || abstractBase(b) || out.some((m) => m.name === b));
    if (!isModel) continue;
    const label = pyString(metaValue('app_label')) ?? appLabel(file);
    const table = pyString(metaValue('db_table')) ?? `${label}_${name.toLowerCase()}`;
    const own = fieldsOf(body, name, table);
    const inherited = bases.flatMap((b) => {
      const base = abstractBase(b);
      return base ? base.fields.map((f) => inheritedField(f, base.table, name, table)) : [];
    });
    const fields = [...inherited, ...own];
    if (isTrue(metaValue('abstract'))) {
      abstract.set(name, { fields, table });
      continue;
    }
    if (!fields.some((f) => f.primaryKey)) fields.unshift({ name: 'id', column: 'id', kind: 'column', type: 'AutoField', nullable: false, primaryKey: true });
    const orderingNode = metaValue('ordering');
    const ordering = orderingNode ? orderingNode.namedChildren.map((c) => pyString(c)).filter((s): s is string => !!s) : [];
    const model: DjangoModel = { name, table, fields, ordering, file };
    const swappable = pyString(metaValue('swappable'));
    if (swappable) model.swappable = swappable;
    if (bases.some((b) => out.some((m) => m.name === b))) model.unsupported = 'multi-table inheritance';
    out.push(model);
  }
  return { models: out, abstract };
}

/** A field of an abstract model in the model that extends it: an auto-created join table is named for that model. */
function inheritedField(f: DjangoField, baseTable: string, model: string, table: string): DjangoField {
  if (!f.through || f.through.table !== `${baseTable}_${f.name}`) return f;
  const self = f.through.own.startsWith('from_');
  return { ...f, through: { table: `${table}_${f.name}`, own: `${self ? 'from_' : ''}${model.toLowerCase()}_id`, other: self ? `to_${model.toLowerCase()}_id` : f.through.other } };
}

function fieldsOf(body: Node, model: string, table: string): DjangoField[] {
  const out: DjangoField[] = [];
  for (const { left, right } of assignmentStatements(body)) {
    if (left?.type !== 'identifier' || right?.type !== 'call') continue;
    const callee = right.childForFieldName('function')?.text.split('.').pop() ?? '';
    if (!/Field$|^(ForeignKey|OneToOneField|ManyToManyField)$/.test(callee)) continue;
    const args = right.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    const kw = (key: string): Node | undefined => args.find((x) => x.type === 'keyword_argument' && x.childForFieldName('name')?.text === key)?.childForFieldName('value') ?? undefined;
    const positional = args.find((x) => x.type !== 'keyword_argument' && x.type !== 'comment');
    const targetNode = positional ?? kw('to');
    const targetText = targetNode ? (pyString(targetNode) ?? targetNode.text) : '';
    // The user model, `User` unless swapped (as the linter's model facts read it); another
    // swappable model by its setting (`APPLICATION_MODEL`), found by its Meta.swappable.
    const target = targetText === 'self' ? model : isUserModelReference(targetText) ? 'User' : swappableSetting(targetText) ?? targetText.split('.').pop();
    const name = left.text;
    const nullable = isTrue(kw('null'));
    const primaryKey = isTrue(kw('primary_key'));
    const dbColumn = pyString(kw('db_column'));
    if (callee === 'ManyToManyField') {
      const self = target === model;
      const through = kw('through');
      const field: DjangoField = { name, kind: 'many-to-many', type: callee, target, nullable: false, primaryKey: false };
      if (!through) {
        field.through = {
          table: pyString(kw('db_table')) ?? `${table}_${name}`,
          own: self ? `from_${model.toLowerCase()}_id` : `${model.toLowerCase()}_id`,
          other: self ? `to_${model.toLowerCase()}_id` : `${target!.toLowerCase()}_id`,
        };
      }
      out.push(field);
    } else if (callee === 'ForeignKey' || callee === 'OneToOneField') {
      const relatedName = pyString(kw('related_name'));
      const queryName = pyString(kw('related_query_name')) ?? relatedName ?? model.toLowerCase();
      const field: DjangoField = { name, column: dbColumn ?? `${name}_id`, kind: 'foreign-key', type: callee, target, nullable, primaryKey };
      if (!relatedName?.endsWith('+') && !queryName.endsWith('+')) field.queryName = queryName;
      out.push(field);
    } else {
      out.push({ name, column: dbColumn ?? name, kind: 'column', type: callee, nullable, primaryKey });
    }
  }
  return out;
}

export function isTextField(f: DjangoField): boolean {
  return TEXT_TYPES.test(f.type);
}

function isTrue(n: Node | undefined): boolean {
  return !!n && pyConstant(n) === true;
}
