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
import { inflectPlural } from './sequelize-definitions';
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
  return [...byModel].map(([name, m]) => ({ name, orm: 'sequelize' as const, relations: m.relations, start: m.node.getStart(), end: m.node.getEnd() }));
}
