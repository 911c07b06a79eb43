/**
 * What the workspace knows about ORM models: their relations, from every file that defines them
 * (Django `models.py`, SQLAlchemy classes, schema.prisma, TypeORM entities, Sequelize associations,
 * Mongoose schemas). Reverse relations are derived here, since they are declared on the other
 * model. Small: names and relation kinds only.
 */
import type { ModelFact, OrmId, RelationFact, SqlDialect } from '../languages/facts';
import type { DrizzleCasing } from '../languages/typescript/drizzle-tables';
import { isDownMigration, runsAfter } from './migration-names';
import type { JobQueue, NpmPackage } from './workspace-databases';

/** A relation and the ORM of the model that declares it. */
export interface ModelRelation extends RelationFact {
  orm: OrmId;
  model: string;
  /** Django: the accessor of another model's relation on its target (`related_name`, `<model>_set`), not a field of this model. */
  reverse?: boolean;
}

export class WorkspaceModels {
  /** The databases the workspace's drivers name (workspace-databases.ts); undefined: not known. */
  databases?: ReadonlySet<SqlDialect>;
  /** The job queues its manifests depend on (Celery); undefined: not known. */
  jobQueues?: ReadonlySet<JobQueue>;
  /** The `casing` of the workspace's drizzle.config (workspace-databases.ts). */
  drizzleCasing?: DrizzleCasing;
  /** The package.json files read (workspace-databases.ts); undefined: not known. */
  packages?: readonly NpmPackage[];
  private readonly byFile = new Map<string, ModelFact[]>();
  private index?: Map<string, Map<string, ModelRelation[]>>;
  /**
   * How many times the models were read (every method below but `set` and `dependsOn`): an
   * analysis that did not change it would find the same with any models (the CLI lints files
   * before the workspace's models are all known, and again only those that read them).
   */
  reads = 0;

  /** Replaces what `file` defines (an empty list forgets it). */
  set(file: string, models: readonly ModelFact[]): void {
    if (models.length === 0 && !this.byFile.has(file)) return;
    if (models.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, [...models]);
    this.index = undefined;
  }

  /**
   * An index of `table` (a model of `orm`, or a SQL table) whose leading columns are `columns` in
   * order: it serves an ORDER BY on them, so advice that asks for one can say it exists.
   */
  indexOn(table: string, columns: readonly string[], orm: OrmId): { columns: string[]; name?: string } | undefined {
    this.reads++;
    const norm = tableOrColumnKey;
    const want = columns.map(norm);
    for (const models of this.byFile.values()) {
      for (const m of models) {
        if (m.orm !== orm || norm(m.name) !== norm(table)) continue;
        const hit = m.indexes?.find((ix) => want.every((c, i) => ix.columns[i] !== undefined && norm(ix.columns[i]) === c));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  /**
   * Whether a lookup by all of `columns` (in any order) of SQL table `table` can use an index: one
   * of its CREATE INDEX statements, PRIMARY KEYs or UNIQUE constraints, in any file, starts with
   * them (`(post_id, tag_id)` serves `post_id`, not `tag_id`). `file` and `own`: the file being
   * analysed and its models now (what the workspace holds of it may be an older text).
   */
  sqlLookupIndexed(table: string, columns: readonly string[], file: string, own: readonly ModelFact[]): boolean {
    return this.sqlIndexState(table, columns, file, own).indexed;
  }

  /** sqlLookupIndexed, and when no index serves the lookup, one that did until a later DROP INDEX. */
  sqlIndexState(table: string, columns: readonly string[], file: string, own: readonly ModelFact[]): SqlIndexState {
    this.reads++;
    const entries: Array<[string, readonly ModelFact[]]> = [];
    for (const [f, models] of this.byFile) if (f !== file) entries.push([f, models]);
    entries.push([file, own]);
    return sqlIndexState(entries, table, columns);
  }

  /** sqlDropped over the workspace's models, with `own` for `file` (what the workspace holds of it may be an older text). */
  sqlDropped(fk: SqlForeignKey, file: string, own: readonly ModelFact[]): boolean {
    this.reads++;
    const byFile = this.byFile;
    function* entries(): Generator<readonly [string, readonly ModelFact[]]> {
      for (const entry of byFile) if (entry[0] !== file) yield entry;
      yield [file, own];
    }
    return sqlDropped(entries(), fk, file);
  }

  get size(): number {
    this.reads++;
    return this.byFile.size;
  }

  private build(): Map<string, Map<string, ModelRelation[]>> {
    const index = new Map<string, Map<string, ModelRelation[]>>();
    const rels = (model: string) => {
      let m = index.get(model);
      if (!m) index.set(model, (m = new Map()));
      return m;
    };
    const add = (model: string, r: ModelRelation) => {
      const m = rels(model);
      const list = m.get(r.field);
      if (list) list.push(r);
      else m.set(r.field, [r]);
    };
    for (const models of this.byFile.values()) {
      for (const model of models) {
        if (dropsOnly(model)) continue;
        rels(model.name);
        for (const r of model.relations) {
          add(model.name, { ...r, orm: model.orm, model: model.name });
          if (r.reverseName) add(r.target, { field: r.reverseName, kind: 'to-many', target: model.name, orm: model.orm, model: r.target, reverse: true });
        }
      }
    }
    return index;
  }

  /** The relation `field` of `model`, if the workspace defines one (of `orm`, when given). */
  relation(model: string, field: string, orm?: OrmId): ModelRelation | undefined {
    this.reads++;
    const list = (this.index ??= this.build()).get(model)?.get(field);
    return orm ? list?.find((r) => r.orm === orm) : list?.[0];
  }

  /** The relations of `model` declared through `orm`. */
  relationsOf(model: string, orm: OrmId): ModelRelation[] {
    this.reads++;
    const fields = (this.index ??= this.build()).get(model);
    return fields ? [...fields.values()].flat().filter((r) => r.orm === orm) : [];
  }

  /** Every relation of `orm` that `match` accepts, across all models. */
  relations(orm: OrmId, match: (r: ModelRelation) => boolean): ModelRelation[] {
    this.reads++;
    const out: ModelRelation[] = [];
    for (const fields of (this.index ??= this.build()).values()) {
      for (const list of fields.values()) for (const r of list) if (r.orm === orm && match(r)) out.push(r);
    }
    return out;
  }

  /** The files that define `model` through `orm` (what the ORM→SQL translation reads names from). */
  filesDefining(model: string, orm: OrmId): string[] {
    this.reads++;
    return [...this.byFile].filter(([, models]) => models.some((m) => m.name === model && m.orm === orm)).map(([file]) => file);
  }

  /**
   * The model `name` of `orm` and the file that declares it, when exactly one file does (two
   * apps may each have a `Post`). Prisma's client names it by its delegate too (`post` → `Post`).
   */
  declared(name: string, orm: OrmId): { file: string; model: ModelFact } | undefined {
    this.reads++;
    const found: Array<{ file: string; model: ModelFact }> = [];
    for (const [file, models] of this.byFile) for (const model of models) if (isModelNamed(model, name, orm)) found.push({ file, model });
    return found.length === 1 ? found[0] : undefined;
  }

  /** Whether SQL DDL or a migration of the workspace (not `file`) makes the table: its keys or indexes are known. */
  sqlDefinesTable(table: string, file: string): boolean {
    this.reads++;
    const norm = tableOrColumnKey;
    for (const [f, models] of this.byFile) if (f !== file && models.some((m) => m.orm === 'sql' && !dropsOnly(m) && norm(m.name) === norm(table))) return true;
    return false;
  }

  /** The type of scalar field `field` of `model` (Prisma: `Int`, `String`, `BigInt`), when a schema says it. */
  fieldType(model: string, field: string, orm: OrmId): string | undefined {
    this.reads++;
    for (const models of this.byFile.values()) {
      for (const m of models) if (m.orm === orm && m.name === model && m.fieldTypes?.[field]) return m.fieldTypes[field];
    }
    return undefined;
  }

  /**
   * Whether the package `file` belongs to (the package.json nearest above it, of those read)
   * depends on `name`; undefined when none is known.
   */
  dependsOn(file: string, name: string): boolean | undefined {
    const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
    const at = norm(file);
    let nearest: NpmPackage | undefined;
    for (const p of this.packages ?? []) {
      const dir = norm(p.dir);
      if (at.startsWith(`${dir}/`) && (!nearest || dir.length > norm(nearest.dir).length)) nearest = p;
    }
    return nearest ? nearest.dependencies.includes(name) : undefined;
  }

  /** Is `model` a model the workspace defines? */
  has(model: string): boolean {
    this.reads++;
    return (this.index ??= this.build()).has(model);
  }
}

/** Whether `m` is the model `name` of `orm`; Prisma's client names a model by its delegate too (`post` → `Post`). */
export function isModelNamed(m: ModelFact, name: string, orm: OrmId): boolean {
  return m.orm === orm && (m.name === name || (orm === 'prisma' && m.name.charAt(0).toLowerCase() + m.name.slice(1) === name));
}

/**
 * WorkspaceModels.sqlLookupIndexed over (file, models) entries (a file's own, when there is no
 * workspace). A `CREATE INDEX` counts unless a `DROP INDEX` of its name (PostgreSQL's default name
 * `<table>_<columns>_idx` when it has none) runs after it: later in its file, or in a later
 * migration of its folder that is not a rollback.
 */
export function sqlLookupIndexed(entries: Iterable<readonly [string, readonly ModelFact[]]>, table: string, columns: readonly string[]): boolean {
  return sqlIndexState(entries, table, columns).indexed;
}

/** Whether an index serves the lookup; if none does, the index that did until a later `DROP INDEX` (its name, and the drop's file). */
export interface SqlIndexState {
  indexed: boolean;
  dropped?: { index: string; file: string };
}

export function sqlIndexState(entries: Iterable<readonly [string, readonly ModelFact[]]>, table: string, columns: readonly string[]): SqlIndexState {
  const norm = tableOrColumnKey;
  const want = new Set(columns.map(norm));
  const serves = (cols: readonly string[]) => cols.length >= want.size && cols.slice(0, want.size).every((c) => want.has(norm(c)));
  const list = [...entries];
  const revisions = new AlembicOrder(list);
  const drops = list.flatMap(([f, models]) => models.flatMap((m) => (m.orm === 'sql' ? (m.drops ?? []).filter((d) => d.index).map((d) => ({ file: f, table: m.name, drop: d })) : [])));
  /** The later drop of an index, if any. */
  const dropOf = (file: string, ix: NonNullable<ModelFact['indexes']>[number]): { index: string; file: string } | undefined => {
    if (drops.length === 0) return undefined;
    const index = (ix.name ?? `${table}_${ix.columns.join('_')}_idx`).split('.').pop()!;
    const hit = drops.find(({ file: f, table: t, drop }) => {
      if (norm(drop.index!.split('.').pop()!) !== norm(index) || (t !== '' && norm(t) !== norm(table))) return false;
      return f === file ? drop.at > (ix.at ?? 0) : (runsAfter(f, file) && !isDownMigration(f)) || revisions.after(f, file);
    });
    return hit && { index, file: hit.file };
  };
  let dropped: SqlIndexState['dropped'];
  for (const [file, models] of list) {
    for (const m of models) {
      if (m.orm !== 'sql' || norm(m.name) !== norm(table)) continue;
      if (m.keys?.some(serves)) return { indexed: true };
      for (const ix of m.indexes ?? []) {
        if (!serves(ix.columns)) continue;
        const drop = dropOf(file, ix);
        if (!drop) return { indexed: true };
        dropped ??= drop;
      }
    }
  }
  return dropped ? { indexed: false, dropped } : { indexed: false };
}

/**
 * The order of Alembic migrations, whose file names (`2b3c_add_index.py`) say nothing of it: each
 * names the revision it follows (`down_revision`). A migration runs after another when following
 * those links back from it reaches the other.
 */
class AlembicOrder {
  private readonly byFile = new Map<string, string>();
  private readonly down = new Map<string, string[]>();

  constructor(entries: ReadonlyArray<readonly [string, readonly ModelFact[]]>) {
    for (const [file, models] of entries) {
      const a = models.find((m) => m.alembic)?.alembic;
      if (!a) continue;
      this.byFile.set(file, a.revision);
      this.down.set(a.revision, a.down);
    }
  }

  after(later: string, earlier: string): boolean {
    const from = this.byFile.get(later);
    const to = this.byFile.get(earlier);
    if (!from || !to || from === to) return false;
    const seen = new Set<string>();
    const stack = [...(this.down.get(from) ?? [])];
    while (stack.length) {
      const r = stack.pop()!;
      if (r === to) return true;
      if (seen.has(r)) continue;
      seen.add(r);
      stack.push(...(this.down.get(r) ?? []));
    }
    return false;
  }
}

/** A foreign key of SQL DDL, as sqlDropped reads it. */
export interface SqlForeignKey {
  table: string;
  columns: readonly string[];
  /** The constraint's name when the DDL gives one; PostgreSQL's `<table>_<columns>_fkey` otherwise. */
  name?: string;
  /** Where it is made in its file. */
  start: number;
}

/**
 * WorkspaceModels.sqlDropped over (file, models) entries: whether DDL that runs after the foreign
 * key's drops it (its table, one of its columns, or its constraint), later in the same file or
 * in a later migration of the same folder (not a rollback).
 */
export function sqlDropped(entries: Iterable<readonly [string, readonly ModelFact[]]>, fk: SqlForeignKey, file: string): boolean {
  const norm = tableOrColumnKey;
  const table = norm(fk.table);
  const columns = new Set(fk.columns.map(norm));
  const constraint = norm(fk.name ?? `${fk.table}_${fk.columns.join('_')}_fkey`.slice(0, 63));
  for (const [f, models] of entries) {
    const sameFile = f === file;
    if (!sameFile && (!runsAfter(f, file) || isDownMigration(f))) continue;
    for (const m of models) {
      if (m.orm !== 'sql' || !m.drops || norm(m.name) !== table) continue;
      for (const d of m.drops) {
        if (sameFile && d.at < fk.start) continue;
        if (d.table || (d.column !== undefined && columns.has(norm(d.column))) || (d.constraint !== undefined && norm(d.constraint) === constraint)) return true;
        if (d.foreignKey?.length === columns.size && d.foreignKey.every((c) => columns.has(norm(c)))) return true;
      }
    }
  }
  return false;
}

/** Only what DDL drops is known of the table (sqlDropped): nothing it makes. */
function dropsOnly(m: ModelFact): boolean {
  return m.orm === 'sql' && !!m.drops && !m.indexes?.length && !m.keys?.length && m.relations.length === 0;
}

/** A table or column name compared the way both index lookups compare them: `"public"."Post"` → `post`. */
function tableOrColumnKey(name: string): string {
  return name.replace(/"/g, '').split('.').pop()!.toLowerCase();
}
