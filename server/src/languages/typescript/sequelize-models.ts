/**
 * Sequelize associations: `Post.belongsTo(User, { as: 'author' })`, `hasOne`, `hasMany`,
 * `belongsToMany`, at the top level or in `static associate(models)`, and sequelize-typescript's
 * `@BelongsTo`/`@HasMany`/`@HasOne`/`@BelongsToMany` properties. The relation's field is the
 * association name: the alias, or the target model's name (plural for to-many), as Sequelize
 * names it; the getter is `get` + that name (`getAuthor`, `getComments`).
 */
import ts from 'typescript';
import type { ModelFact, RelationFact } from '../facts';
import { decoratorsOf, targetOf } from './decorators';
import { inflectPlural, readModels, type SequelizeModel } from './sequelize-definitions';
import { nodesOfKind } from './walk';

const ASSOCIATIONS = /^(belongsTo|hasOne|hasMany|belongsToMany)$/;
const DECORATORS = /^(BelongsTo|HasOne|HasMany|BelongsToMany)$/;


export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The getter Sequelize defines for an association: `getAuthor`, `getComments`. */
export function sequelizeGetter(field: string): string {
  return `get${upperFirst(field)}`;
}

/** `User`, `models.User`, `db.User`, `this` (in a model class): the model's code name. */
function modelName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) {
    for (let n: ts.Node | undefined = e.parent; n; n = n.parent) if (ts.isClassLike(n) && n.name) return n.name.text;
  }
  return undefined;
}

/** `const Comment = sequelize.define('comment', …)`, `Comment.init(…, { modelName: 'comment' })`: the name Sequelize inflects. */
function definedNames(sf: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
    const method = n.expression.name.text;
    if (method === 'define' && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name) && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) {
      names.set(n.parent.name.text, n.arguments[0].text);
    }
    if (method === 'init' && ts.isIdentifier(n.expression.expression)) {
      const opts = n.arguments[1];
      const p = opts && ts.isObjectLiteralExpression(opts) ? opts.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText() === 'modelName') : undefined;
      if (p && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer)) names.set(n.expression.expression.text, p.initializer.text);
    }
  });
  return names;
}

function aliasOf(options: ts.Expression | undefined, toMany: boolean): string | undefined {
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const as = options.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'as');
  if (!as || !ts.isPropertyAssignment(as)) return undefined;
  const v = as.initializer;
  if (ts.isStringLiteralLike(v)) return v.text;
  // `as: { singular: 'comment', plural: 'comments' }`
  if (ts.isObjectLiteralExpression(v)) {
    const p = v.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText() === (toMany ? 'plural' : 'singular'));
    if (p && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer)) return p.initializer.text;
  }
  return undefined;
}

/** Sequelize data types by the TypeScript type of the values a model reads and compares them with. */
const DATA_TYPE_TS: Record<string, string> = {
  STRING: 'string', TEXT: 'string', CHAR: 'string', CITEXT: 'string', UUID: 'string', ENUM: 'string', DATEONLY: 'string',
  INTEGER: 'number', SMALLINT: 'number', MEDIUMINT: 'number', TINYINT: 'number', FLOAT: 'number', DOUBLE: 'number', REAL: 'number', NUMBER: 'number',
  DATE: 'Date',
  BOOLEAN: 'boolean',
};

/**
 * The TypeScript type of an attribute's definition: `DataTypes.UUID`, `DataTypes.STRING(64)`,
 * `DataTypes.INTEGER.UNSIGNED`, `{ type: Sequelize.DATE, … }`. BIGINT and DECIMAL come back as
 * text or as numbers by driver and setting: not said.
 */
export function sequelizeTsType(definition: ts.Expression): string | undefined {
  let e = definition;
  if (ts.isObjectLiteralExpression(e)) {
    const type = e.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'type');
    if (!type) return undefined;
    e = type.initializer;
  }
  // The type's name is the first of the chain after the namespace: `DataTypes.INTEGER(11).UNSIGNED`.
  const names: string[] = [];
  for (;;) {
    if (ts.isCallExpression(e)) e = e.expression;
    else if (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = e.expression;
    } else if (ts.isIdentifier(e)) {
      names.unshift(e.text);
      break;
    } else return undefined;
  }
  for (const n of names) if (Object.prototype.hasOwnProperty.call(DATA_TYPE_TS, n)) return DATA_TYPE_TS[n];
  return undefined;
}

/**
 * A model class's own declarations of its attributes, which its users read: `declare id:
 * CreationOptional<string>`, `declare authorId: ForeignKey<number>`, sequelize-typescript's
 * `@Column(DataType.UUID) id!: string`.
 */
function declaredTypes(cls: ts.ClassDeclaration): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name) || !m.type) continue;
    let type = m.type;
    while (ts.isTypeReferenceNode(type) && /^(CreationOptional|ForeignKey)$/.test(type.typeName.getText()) && type.typeArguments?.length === 1) type = type.typeArguments[0];
    const text = type.getText();
    if (/^(number|string|bigint|boolean|Date)$/.test(text)) out[m.name.text] = text;
  }
  return out;
}

/**
 * `class Post extends Model<…>`, of a namespace (`sequelize.Model`), imported under another name
 * (`Model as TsModel`) or through an app's base class (`BaseModel`); sequelize-typescript's `@Table`.
 */
function isModelClass(n: ts.Node): n is ts.ClassDeclaration & { name: ts.Identifier } {
  if (!ts.isClassDeclaration(n) || !n.name) return false;
  const base = n.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return (!!base && /Model$/.test(base.getText())) || decoratorsOf(n).some((d) => d.name === 'Table');
}

/**
 * The TypeScript types of each model's attributes: what its class declares, else what `init` or
 * `define` says (the key Sequelize adds is an integer, its timestamps Dates).
 */
function attributeTypes(sf: ts.SourceFile, defined: readonly SequelizeModel[]): Map<string, { types: Record<string, string>; node: ts.Node }> {
  const out = new Map<string, { types: Record<string, string>; node: ts.Node }>();
  for (const m of defined) {
    const types: Record<string, string> = {};
    for (const a of m.attributes) {
      const type = a.definition ? sequelizeTsType(a.definition) : a.primary ? 'number' : 'Date';
      if (type) types[a.name] = type;
    }
    if (m.call) out.set(m.name, { types, node: m.call });
  }
  nodesOfKind(sf, ts.SyntaxKind.ClassDeclaration).forEach((n) => {
    if (isModelClass(n)) out.set(n.name.text, { types: { ...out.get(n.name.text)?.types, ...declaredTypes(n) }, node: n });
  });
  return out;
}

/**
 * What the models defined here (`init`, `define`) index, for unindexed-filter: the primary key,
 * `unique` attributes and the first field of each entry of the `indexes` option; their few-valued
 * attributes (`BOOLEAN`, `ENUM`), foreign keys (`references`, and the keys `belongsTo` adds), and
 * the table and column names a migration's `addIndex` would use.
 */
function indexFacts(defined: readonly SequelizeModel[]): Map<string, Pick<ModelFact, 'indexes' | 'lowCardinality' | 'foreignKeys' | 'table' | 'columns'>> {
  const out = new Map<string, Pick<ModelFact, 'indexes' | 'lowCardinality' | 'foreignKeys' | 'table' | 'columns'>>();
  for (const m of defined) {
    const indexes = [...m.attributes.filter((a) => a.primary || a.unique).map((a) => ({ columns: [a.name] })), ...m.indexes.map((columns) => ({ columns: [columns[0]] }))];
    const lowCardinality = m.attributes.filter((a) => a.definition && /\b(BOOLEAN|ENUM)\b/.test(a.definition.getText())).map((a) => a.name);
    const foreignKeys = [
      ...m.attributes.filter((a) => a.definition && ts.isObjectLiteralExpression(a.definition) && a.definition.properties.some((p) => p.name?.getText() === 'references')).map((a) => a.name),
      ...m.associations.filter((x) => x.kind === 'belongsTo').map((x) => x.foreignKey ?? `${x.as}Id`),
    ];
    const columns = Object.fromEntries(m.attributes.filter((a) => a.column !== a.name).map((a) => [a.name, a.column]));
    out.set(m.name, { indexes, lowCardinality, foreignKeys, table: m.table, ...(Object.keys(columns).length ? { columns } : {}) });
  }
  return out;
}

export function sequelizeModels(sf: ts.SourceFile): ModelFact[] {
  const defined = definedNames(sf);
  const byModel = new Map<string, { relations: RelationFact[]; node: ts.Node }>();
  const add = (model: string, rel: RelationFact, node: ts.Node) => {
    const m = byModel.get(model) ?? { relations: [], node };
    if (!m.relations.some((r) => r.field === rel.field)) m.relations.push(rel);
    byModel.set(model, m);
  };
  nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyDeclaration).forEach((n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ASSOCIATIONS.test(n.expression.name.text) && n.arguments[0]) {
      const source = modelName(n.expression.expression);
      const target = modelName(n.arguments[0]);
      if (!source || !target || !/^[A-Za-z_]\w*$/.test(target)) return;
      const method = n.expression.name.text;
      const toMany = method === 'hasMany' || method === 'belongsToMany';
      const alias = aliasOf(n.arguments[1], toMany);
      const base = defined.get(target) ?? target;
      const field = alias ?? (toMany ? inflectPlural(base) : base);
      add(source, { field, kind: toMany ? 'to-many' : 'to-one', target, ...(alias ? { aliased: true } : {}) }, n);
    }
    if (ts.isPropertyDeclaration(n) && ts.isIdentifier(n.name) && ts.isClassDeclaration(n.parent) && n.parent.name) {
      const deco = decoratorsOf(n).find((d) => DECORATORS.test(d.name));
      const target = deco && targetOf(deco.args[0]);
      // sequelize-typescript names the association after the property.
      if (deco && target) add(n.parent.name.text, { field: n.name.text, kind: /^(HasMany|BelongsToMany)$/.test(deco.name) ? 'to-many' : 'to-one', target, aliased: true }, n.parent);
    }
  });
  const definitions = readModels(sf, sf.fileName);
  const types = attributeTypes(sf, definitions);
  const indexed = indexFacts(definitions);
  const models: ModelFact[] = [...byModel].map(([name, m]) => ({ name, orm: 'sequelize' as const, relations: m.relations, start: m.node.getStart(), end: m.node.getEnd() }));
  for (const [name, { types: fieldTypes, node }] of types) {
    if (Object.keys(fieldTypes).length === 0) continue;
    const known = models.find((m) => m.name === name);
    if (known) known.fieldTypes = fieldTypes;
    else models.push({ name, orm: 'sequelize', relations: [], start: node.getStart(), end: node.getEnd(), fieldTypes });
  }
  for (const m of models) Object.assign(m, indexed.get(m.name));
  return models;
}
