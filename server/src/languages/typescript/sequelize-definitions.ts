/**
 * Sequelize models from `Model.init(attributes, options)` and `sequelize.define(name, attributes,
 * options)` with Sequelize v6's naming: the table is `tableName`, else the model name (`modelName`,
 * else the class name) when `freezeTableName`, else its plural by the `inflection` package, in snake
 * case when `underscored` (Model.init in sequelize/lib/model.js: `underscoredIf(pluralize(name),
 * underscored)`). A column is the attribute's `field`, else its name (snake case when
 * `underscored`). An `id` primary key comes first unless an attribute is one; `createdAt`/`updatedAt`
 * (and `deletedAt` when `paranoid`) come last unless `timestamps: false`. Associations
 * (`Post.belongsTo(User, { as, foreignKey })`, `hasMany`, `hasOne`, `belongsToMany` with its
 * `through`) give the joins and the foreign keys; `indexes` the model's indexes. Read by the
 * translator and the embedded database (database/orm-sql) and by unindexed-foreign-key.
 */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';
import { isFalse, isTrue, option, stringArg } from './builder-calls';
import { propertyName } from './ordering';
import { nodesOfKind } from './walk';

export interface SequelizeAttribute {
  name: string;
  column: string;
  primary: boolean;
  /** `unique: true` (or a one-column unique key's name). */
  unique?: boolean;
  /** What the model says of it (`DataTypes.STRING`, `{ type, allowNull, … }`); none for the ones Sequelize adds. */
  definition?: ts.Expression;
}

export interface SequelizeAssociation {
  kind: 'belongsTo' | 'hasOne' | 'hasMany' | 'belongsToMany';
  /** The `Post.belongsTo(…)` call. */
  call?: ts.CallExpression;
  /** The target model's code name (`User`). */
  target: string;
  as: string;
  /** `as` was not written: Sequelize's default, the target's model name (known when the target is in the same file). */
  asDefault?: boolean;
  /** The foreign key attribute as written (`foreignKey: 'authorId'`), else undefined (Sequelize's default). */
  foreignKey?: string;
  /** belongsToMany: the through table (`through: 'PostTags'`, made by Sequelize) or model (`through: PostTag`), and `otherKey`. */
  through?: { table: string } | { model: string };
  otherKey?: string;
}

export interface SequelizeModel {
  /** The code name (`Post`, or the variable `define` is assigned to). */
  name: string;
  /** Sequelize's model name (`modelName`, the first argument of `define`): the query's table alias. */
  modelName: string;
  table: string;
  /** Set when the table name comes from Sequelize's pluralisation (said in a note). */
  inflected?: boolean;
  attributes: SequelizeAttribute[];
  underscored: boolean;
  /** `paranoid: true`: finds read rows whose deletedAt is NULL. */
  deletedAt?: SequelizeAttribute;
  associations: SequelizeAssociation[];
  /** The `indexes` option's column lists (`fields`, attribute or column names as written). */
  indexes: string[][];
  /** The `init`/`define` call and its options object (absent: none written), for fixes. */
  call?: ts.CallExpression;
  options?: ts.ObjectLiteralExpression;
  file: string;
}

// The `inflection` package's rules (pluralize): words it keeps as they are, already-plural endings, then singular → plural.
const UNCOUNTABLE = new Set(['equipment', 'information', 'rice', 'money', 'species', 'series', 'sheep', 'deer', 'news', 'software', 'hardware', 'music', 'research', 'traffic', 'weather', 'furniture', 'luggage', 'baggage', 'knowledge', 'evidence', 'homework', 'advice', 'food', 'health', 'help', 'welfare', 'management', 'shopping', 'safety', 'wildlife', 'livestock', 'machinery', 'garbage', 'education', 'engineering', 'nutrition', 'pollution', 'transportation', 'unemployment', 'wealth', 'poetry', 'literature', 'physics', 'mathematics', 'economics', 'ethics', 'genetics', 'athletics', 'aircraft', 'seafood', 'spaghetti', 'pasta', 'cash', 'gold', 'milk', 'snow', 'soap', 'stuff', 'trust', 'yoga']);
const ALREADY_PLURAL = [/^(m|wom)en$/i, /(pe)ople$/i, /(child)ren$/i, /([ti])a$/i, /((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$/i, /(database)s$/i, /(drive)s$/i, /(hi|ti)ves$/i, /(curve)s$/i, /([lr])ves$/i, /([^fo])ves$/i, /([^aeiouy]|qu)ies$/i, /(s)eries$/i, /(m)ovies$/i, /(x|ch|ss|sh)es$/i, /([m|l])ice$/i, /(bus)es$/i, /(o)es$/i, /(shoe)s$/i, /(cris|ax|test)es$/i, /(octop|vir)uses$/i, /(alias|canvas|status|campus)es$/i, /^(summons|bonus)es$/i, /^(ox)en/i, /(matr)ices$/i, /^feet$/i, /^teeth$/i, /^geese$/i, /(quiz)zes$/i, /^(whereas)es$/i, /^(criteri)a$/i, /^genera$/i];
const PLURAL_RULES: Array<[RegExp, string]> = [
  [/^(m|wom)an$/i, '$1en'], [/(pe)rson$/i, '$1ople'], [/(child)$/i, '$1ren'], [/(drive)$/i, '$1s'], [/^(ox)$/i, '$1en'], [/(ax|test)is$/i, '$1es'],
  [/(octop|vir)us$/i, '$1uses'], [/(alias|status|canvas|campus)$/i, '$1es'], [/^(summons|bonus)$/i, '$1es'], [/(bu)s$/i, '$1ses'], [/(buffal|tomat|potat)o$/i, '$1oes'],
  [/([ti])um$/i, '$1a'], [/sis$/i, 'ses'], [/(?:([^f])fe|([lr])f)$/i, '$1$2ves'], [/(hi|ti)ve$/i, '$1ves'], [/([^aeiouy]|qu)y$/i, '$1ies'], [/(matr)ix$/i, '$1ices'],
  [/(vert|ind)ex$/i, '$1ices'], [/(x|ch|ss|sh)$/i, '$1es'], [/([m|l])ouse$/i, '$1ice'], [/^foot$/i, 'feet'], [/^tooth$/i, 'teeth'], [/^goose$/i, 'geese'], [/(quiz)$/i, '$1zes'],
  [/^(whereas)$/i, '$1es'], [/^(criteri)on$/i, '$1a'], [/^genus$/i, 'genera'], [/s$/i, 's'], [/$/, 's'],
];

/** inflection.pluralize: `Post` → `Posts`, `Category` → `Categories`, `Person` → `People`, `News` → `News`. */
export function inflectPlural(word: string): string {
  if (UNCOUNTABLE.has(word.toLowerCase()) || ALREADY_PLURAL.some((re) => re.test(word))) return word;
  for (const [re, to] of PLURAL_RULES) if (re.test(word)) return word.replace(re, to);
  return word;
}

/**
 * inflection.singularize for the common endings (model names are mostly singular already):
 * `posts` → `post`, `categories` → `category`, `boxes` → `box`, `People` → `Person`; `status`,
 * `news`, `Post` stay.
 */
export function inflectSingular(word: string): string {
  if (UNCOUNTABLE.has(word.toLowerCase())) return word;
  const rules: Array<[RegExp, string]> = [
    [/^(p)eople$/i, '$1erson'], [/^(m|wom)en$/i, '$1an'], [/(child)ren$/i, '$1'], [/([^aeiouy]|qu)ies$/i, '$1y'],
    [/(x|ch|ss|sh|zz)es$/i, '$1'], [/(bus|alias|status|campus)(es)?$/i, '$1'], [/(ss|us|is)$/i, '$1'], [/s$/i, ''],
  ];
  for (const [re, to] of rules) if (re.test(word)) return word.replace(re, to);
  return word;
}

/** inflection.underscore: `BlogPosts` → `blog_posts`, `authorId` → `author_id`. */
export function inflectUnderscore(word: string): string {
  return word.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}


/** `through: 'PostTags'`, `through: PostTag`, `through: { model: … }`. */
function throughOption(options: ts.ObjectLiteralExpression | undefined): SequelizeAssociation['through'] {
  const p = options?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === 'through');
  let v = p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
  if (v && ts.isObjectLiteralExpression(v)) {
    const m = v.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === 'model');
    v = m && ts.isPropertyAssignment(m) ? m.initializer : undefined;
  }
  if (!v) return undefined;
  if (ts.isStringLiteralLike(v)) return { table: v.text };
  if (ts.isIdentifier(v)) return { model: v.text };
  if (ts.isPropertyAccessExpression(v)) return { model: v.name.text };
  return undefined;
}

/** The join table of a belongsToMany, its alias (the through model's name) and its key columns to each side. */
export interface ThroughTable {
  table: string;
  name: string;
  sourceColumn: string;
  targetColumn: string;
  /** The through model, when the workspace defines one (else Sequelize makes it: keys and timestamps). */
  model?: SequelizeModel;
}

/**
 * A belongsToMany's through table with Sequelize v6's defaults: the keys are camelize(model name +
 * '_' + primary key) of each side (`PostId`, `TagId`), or `foreignKey`/`otherKey`; their columns are
 * the through model's fields, or snake_case when the source model is underscored. Undefined when
 * the through model is named but not found.
 */
export function throughTable(source: SequelizeModel, assoc: SequelizeAssociation, target: SequelizeModel, modelNamed: (name: string) => SequelizeModel | undefined): ThroughTable | undefined {
  const through = assoc.through;
  if (!through) return undefined;
  const model = 'model' in through ? modelNamed(through.model) : undefined;
  if ('model' in through && !model) return undefined;
  // Sequelize names a key after the singular of the model name; the other side of a
  // self-association (`User.belongsToMany(User, { as: 'Friends' })`) after the singular of `as`.
  const keyAttr = (m: SequelizeModel, name = m.modelName) => camelize(`${inflectSingular(name)}_${m.attributes.find((a) => a.primary)!.name}`);
  const self = source === target || source.name === target.name;
  const columnOf = (attr: string): string => model?.attributes.find((a) => a.name === attr)?.column ?? ((model ?? source).underscored ? inflectUnderscore(attr) : attr);
  return {
    table: model ? model.table : (through as { table: string }).table,
    name: model ? model.modelName : (through as { table: string }).table,
    sourceColumn: columnOf(assoc.foreignKey ?? keyAttr(source)),
    targetColumn: columnOf(assoc.otherKey ?? (self && assoc.as ? keyAttr(target, assoc.as) : keyAttr(target))),
    ...(model ? { model } : {}),
  };
}

/** The columns of a join table Sequelize makes (no through model): its timestamps, then the two keys. */
export function madeThroughColumns(t: ThroughTable, underscored: boolean): { timestamps: string[]; keys: string[] } {
  const stamp = (n: string): string => (underscored ? inflectUnderscore(n) : n);
  return { timestamps: [stamp('createdAt'), stamp('updatedAt')], keys: [t.sourceColumn, t.targetColumn] };
}

/** lodash-style camelize, as Sequelize names default keys: `author_id` → `authorId`. */
export function camelize(s: string): string {
  return s.trim().replace(/[-_\s]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

/**
 * The foreign key column of an association and the model whose table has it, with Sequelize v6's
 * defaults: belongsTo camelize(as + '_' + target key) on the source, hasMany/hasOne
 * camelize(source model name + '_' + source key) on the target.
 */
export function associationKey(source: SequelizeModel, assoc: SequelizeAssociation, target: SequelizeModel): { owner: SequelizeModel; attribute: string; column: string } {
  const owner = assoc.kind === 'belongsTo' ? source : target;
  const referenced = (assoc.kind === 'belongsTo' ? target : source).attributes.find((x) => x.primary)!;
  const attribute = assoc.foreignKey ?? camelize(`${assoc.kind === 'belongsTo' ? assoc.as : source.modelName}_${referenced.name}`);
  const column = owner.attributes.find((x) => x.name === attribute)?.column ?? (owner.underscored ? inflectUnderscore(attribute) : attribute);
  return { owner, attribute, column };
}

/** The models a parsed file defines, with their associations. */
export function readModels(sf: ts.SourceFile, file: string): SequelizeModel[] {
  const out: SequelizeModel[] = [];
  const associations: Array<{ source: string; assoc: SequelizeAssociation }> = [];
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
    const method = n.expression.name.text;
    const [a0, a1, a2] = n.arguments;
    if (method === 'init' && ts.isIdentifier(n.expression.expression) && a0 && ts.isObjectLiteralExpression(a0)) {
      const options = a1 && ts.isObjectLiteralExpression(a1) ? a1 : undefined;
      const name = n.expression.expression.text;
      out.push({ ...model(name, stringOption(options, 'modelName') ?? name, a0, options, file), call: n });
    }
    if (method === 'define' && a0 && ts.isStringLiteralLike(a0) && a1 && ts.isObjectLiteralExpression(a1) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
      out.push({ ...model(n.parent.name.text, a0.text, a1, a2 && ts.isObjectLiteralExpression(a2) ? a2 : undefined, file), call: n });
    }
    if (/^(belongsTo|hasOne|hasMany|belongsToMany)$/.test(method) && ts.isIdentifier(n.expression.expression) && a0 && (ts.isIdentifier(a0) || ts.isPropertyAccessExpression(a0))) {
      const target = ts.isIdentifier(a0) ? a0.text : a0.name.text;
      const options = a1 && ts.isObjectLiteralExpression(a1) ? a1 : undefined;
      const fk = options?.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p) === 'foreignKey');
      let foreignKey: string | undefined;
      if (fk && ts.isPropertyAssignment(fk)) foreignKey = ts.isStringLiteralLike(fk.initializer) ? fk.initializer.text : ts.isObjectLiteralExpression(fk.initializer) ? stringOption(fk.initializer, 'name') : undefined;
      const kind = method as SequelizeAssociation['kind'];
      const assoc: SequelizeAssociation = { kind, target, as: stringOption(options, 'as') ?? '', foreignKey, call: n };
      if (kind === 'belongsToMany') {
        const through = throughOption(options);
        if (through) assoc.through = through;
        const other = options?.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p) === 'otherKey');
        if (other && ts.isPropertyAssignment(other)) assoc.otherKey = ts.isStringLiteralLike(other.initializer) ? other.initializer.text : ts.isObjectLiteralExpression(other.initializer) ? stringOption(other.initializer, 'name') : undefined;
      }
      associations.push({ source: n.expression.expression.text, assoc });
    }
  });
  for (const { source, assoc } of associations) {
    const m = out.find((x) => x.name === source);
    if (!m) continue;
    // Without `as`, the association is named after the target's model name (plural for to-many).
    if (!assoc.as) {
      assoc.asDefault = true;
      const target = out.find((x) => x.name === assoc.target)?.modelName ?? assoc.target;
      assoc.as = assoc.kind === 'hasMany' || assoc.kind === 'belongsToMany' ? inflectPlural(target) : target;
    }
    m.associations.push(assoc);
  }
  return out;
}

function model(name: string, modelName: string, attrs: ts.ObjectLiteralExpression, options: ts.ObjectLiteralExpression | undefined, file: string): SequelizeModel {
  const underscored = booleanOption(options, 'underscored') ?? false;
  const column = (attr: string, field?: string): string => field ?? (underscored ? inflectUnderscore(attr) : attr);
  const attributes: SequelizeAttribute[] = [];
  for (const p of attrs.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const attr = propertyName(p);
    if (!attr) continue;
    const v = p.initializer;
    const def = ts.isObjectLiteralExpression(v) ? v : undefined;
    const type = def ? def.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === 'type') : undefined;
    const typeText = (type && ts.isPropertyAssignment(type) ? type.initializer : v).getText();
    if (/\bVIRTUAL\b/.test(typeText)) continue;
    const unique = booleanOption(def, 'unique') === true || stringOption(def, 'unique') !== undefined;
    attributes.push({ name: attr, column: column(attr, stringOption(def, 'field')), primary: booleanOption(def, 'primaryKey') === true, ...(unique ? { unique } : {}), definition: v });
  }
  if (!attributes.some((a) => a.primary)) attributes.unshift({ name: 'id', column: 'id', primary: true });
  let deletedAt: SequelizeAttribute | undefined;
  if (booleanOption(options, 'timestamps') !== false) {
    for (const key of ['createdAt', 'updatedAt'] as const) {
      const renamed = options?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === key);
      if (renamed && ts.isPropertyAssignment(renamed) && renamed.initializer.kind === ts.SyntaxKind.FalseKeyword) continue;
      const attr = (renamed && ts.isPropertyAssignment(renamed) && ts.isStringLiteralLike(renamed.initializer) ? renamed.initializer.text : undefined) ?? key;
      if (!attributes.some((a) => a.name === attr)) attributes.push({ name: attr, column: column(attr), primary: false });
    }
    if (booleanOption(options, 'paranoid')) {
      const renamed = stringOption(options, 'deletedAt') ?? 'deletedAt';
      deletedAt = attributes.find((a) => a.name === renamed) ?? { name: renamed, column: column(renamed), primary: false };
      if (!attributes.includes(deletedAt)) attributes.push(deletedAt);
    }
  }
  const tableName = stringOption(options, 'tableName');
  const freeze = booleanOption(options, 'freezeTableName') ?? false;
  const table = tableName ?? (freeze ? modelName : underscored ? inflectUnderscore(inflectPlural(modelName)) : inflectPlural(modelName));
  const indexes: string[][] = [];
  const list = options?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === 'indexes');
  if (list && ts.isPropertyAssignment(list) && ts.isArrayLiteralExpression(list.initializer)) {
    for (const ix of list.initializer.elements) {
      const fields = ts.isObjectLiteralExpression(ix) ? ix.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === 'fields') : undefined;
      if (!fields || !ts.isPropertyAssignment(fields) || !ts.isArrayLiteralExpression(fields.initializer)) continue;
      // `'authorId'` or `{ name: 'authorId', order: 'DESC' }`.
      const names = fields.initializer.elements.map((f) => (ts.isStringLiteralLike(f) ? f.text : ts.isObjectLiteralExpression(f) ? stringOption(f, 'name') ?? stringOption(f, 'attribute') : undefined));
      // The fields up to the first one not written out.
      const stop = names.findIndex((x) => x === undefined);
      const leading = (stop < 0 ? names : names.slice(0, stop)) as string[];
      if (leading.length) indexes.push(leading);
    }
  }
  return { name, modelName, table, ...(tableName || freeze ? {} : { inflected: true }), attributes, underscored, deletedAt, associations: [], indexes, options, file };
}

const stringOption = (obj: ts.ObjectLiteralExpression | undefined, key: string): string | undefined => stringArg(option(obj, key));

function booleanOption(obj: ts.ObjectLiteralExpression | undefined, key: string): boolean | undefined {
  const v = option(obj, key);
  return isTrue(v) ? true : isFalse(v) ? false : undefined;
}

/** The edits that add `entry` (`{ fields: ['authorId'] }`) to a model's `indexes` option, the option or the options object made when missing. */
export function sequelizeIndexEdits(sf: ts.SourceFile, model: SequelizeModel, entry: string): Edit[] | undefined {
  const options = model.options;
  const call = model.call!;
  if (!options) {
    // `sequelize.define('Post', { … })`: the options object after the attributes.
    const attrs = call.arguments[1];
    return attrs && call.arguments.length === 2 ? [{ start: attrs.getEnd(), end: attrs.getEnd(), newText: `, { indexes: [${entry}] }` }] : undefined;
  }
  const list = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText().replace(/^['"]|['"]$/g, '') === 'indexes');
  if (list) {
    if (!ts.isArrayLiteralExpression(list.initializer)) return undefined;
    const items = list.initializer.elements;
    const last = items[items.length - 1];
    return [last ? { start: last.getEnd(), end: last.getEnd(), newText: `, ${entry}` } : { start: list.initializer.getStart(sf) + 1, end: list.initializer.getEnd() - 1, newText: entry }];
  }
  const last = options.properties[options.properties.length - 1];
  if (!last) return [{ start: options.getStart(sf) + 1, end: options.getEnd() - 1, newText: ` indexes: [${entry}] ` }];
  // A property per line: the new one on its own line, indented like the last.
  const multiline = sf.text.slice(options.getStart(sf), last.getStart(sf)).includes('\n');
  const lineStart = sf.text.lastIndexOf('\n', last.getStart(sf) - 1) + 1;
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  return [{ start: last.getEnd(), end: last.getEnd(), newText: multiline ? `,\n${indent}indexes: [${entry}]` : `, indexes: [${entry}]` }];
}
