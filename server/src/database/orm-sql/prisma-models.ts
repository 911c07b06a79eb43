/**
 * A Prisma schema as the translator needs it: the table and columns of each model and how its
 * relations join, named exactly as the DDL that `prisma-ddl.ts` writes for the embedded database
 * (`@@map`, `@map`, implicit many-to-many tables `_AToB` with columns `A` and `B`).
 */
import { fieldList, namedArg, unquote, type PrismaField, type PrismaModel, type PrismaSchema } from '../schema/prisma-schema';
import { implicitManyToMany, prismaColumnName, prismaTableName } from '../schema/prisma-ddl';

export interface PrismaRelationJoin {
  target: PrismaModel;
  list: boolean;
  /** Columns of this model's table equal to `targetColumns` of the target's (one-to-one/many). */
  columns?: string[];
  targetColumns?: string[];
  /** Implicit many-to-many: the join table, and its column that holds this model's id and the target's. */
  through?: { table: string; own: string; other: string; ownKey: string; targetKey: string };
}

export class PrismaModels {
  private readonly byName: Map<string, PrismaModel>;

  constructor(readonly schema: PrismaSchema) {
    this.byName = new Map(schema.models.map((m) => [m.name, m]));
  }

  /** The model behind a client delegate: `prisma.post` → `Post`, `prisma.blogPost` → `BlogPost`. */
  delegate(name: string): PrismaModel | undefined {
    return this.byName.get(name) ?? this.schema.models.find((m) => m.name.charAt(0).toLowerCase() + m.name.slice(1) === name);
  }

  model(name: string): PrismaModel | undefined {
    return this.byName.get(name);
  }

  table(m: PrismaModel): string {
    return prismaTableName(m);
  }

  isRelation(f: PrismaField): boolean {
    return this.byName.has(f.type);
  }

  scalars(m: PrismaModel): PrismaField[] {
    return m.fields.filter((f) => !this.isRelation(f));
  }

  column(f: PrismaField): string {
    return prismaColumnName(f);
  }

  field(m: PrismaModel, name: string): PrismaField | undefined {
    return m.fields.find((f) => f.name === name);
  }

  /** The primary key's fields: `@id`, else `@@id([...])`. */
  primaryKey(m: PrismaModel): PrismaField[] {
    const id = m.fields.find((f) => f.attributes.some((a) => a.name === 'id'));
    if (id) return [id];
    const block = m.blockAttributes.find((a) => a.name === 'id');
    return fieldList(block?.args?.replace(/^fields\s*:\s*/, '')).map((n) => this.field(m, n)).filter((f): f is PrismaField => !!f);
  }

  /** Is this list of fields unique (the id, a `@unique` field, a `@@unique`/`@@id` set)? */
  isUnique(m: PrismaModel, names: readonly string[]): boolean {
    const set = new Set(names);
    const covers = (fields: readonly string[]): boolean => fields.length > 0 && fields.every((f) => set.has(f));
    if (covers(this.primaryKey(m).map((f) => f.name))) return true;
    if (m.fields.some((f) => set.has(f.name) && f.attributes.some((a) => a.name === 'unique' || a.name === 'id'))) return true;
    return m.blockAttributes.some((a) => (a.name === 'unique' || a.name === 'id') && covers(fieldList((a.args ?? '').replace(/^fields\s*:\s*/, '').split(/,\s*\w+\s*:/)[0])));
  }

  /** How relation field `f` of `m` joins its target. */
  relation(m: PrismaModel, f: PrismaField): PrismaRelationJoin | undefined {
    const target = this.byName.get(f.type);
    if (!target) return undefined;
    const own = relationArgs(f);
    if (own.fields.length > 0) {
      return { target, list: f.list, columns: own.fields.map((n) => this.columnOf(m, n)), targetColumns: own.references.map((n) => this.columnOf(target, n)) };
    }
    // The other side holds the key: the back-relation field of the same relation name.
    const back = target.fields.find((x) => x.type === m.name && x !== f && relationArgs(x).name === own.name && relationArgs(x).fields.length > 0);
    if (back) {
      const b = relationArgs(back);
      return { target, list: f.list, columns: b.references.map((n) => this.columnOf(m, n)), targetColumns: b.fields.map((n) => this.columnOf(target, n)) };
    }
    const join = implicitManyToMany(this.schema, this.byName).find((j) => j.models.includes(m) && j.models.includes(target) && (own.name ? j.table === `_${own.name}` : true));
    if (join) {
      const mine = join.models[0] === m ? 'A' : 'B';
      return {
        target,
        list: true,
        through: { table: join.table, own: mine, other: mine === 'A' ? 'B' : 'A', ownKey: this.column(this.primaryKey(m)[0]), targetKey: this.column(this.primaryKey(target)[0]) },
      };
    }
    return undefined;
  }

  private columnOf(m: PrismaModel, name: string): string {
    const f = this.field(m, name);
    return f ? this.column(f) : name;
  }
}

function relationArgs(f: PrismaField): { name?: string; fields: string[]; references: string[] } {
  const args = f.attributes.find((a) => a.name === 'relation')?.args;
  const first = args?.split(',')[0]?.trim();
  const name = first?.startsWith('"') ? unquote(first) : (namedArg(args, 'name') ? unquote(namedArg(args, 'name')!) : undefined);
  return { name, fields: fieldList(namedArg(args, 'fields')), references: fieldList(namedArg(args, 'references')) };
}
