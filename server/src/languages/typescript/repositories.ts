/**
 * The entity a repository expression is for, in TypeORM and MikroORM code: `getRepository(Post)` on a
 * data source or entity manager, a variable bound to one, `this.postRepository` injected with
 * `@InjectRepository(Post)` or typed `Repository<Post>`/`EntityRepository<Post>`, `this` in a class
 * that extends one of those, and (TypeORM's Active Record) an entity class itself.
 */
import ts from 'typescript';
import { unwrap } from './builder-calls';
import { findDeclaration } from './values';

const REPOSITORY_TYPES = /^(Repository|TreeRepository|EntityRepository|SqlEntityRepository|MongoEntityRepository)$/;

export function repositoryEntity(expr: ts.Expression, depth = 0): string | undefined {
  const e = unwrap(expr);
  if (depth > 4) return undefined;
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    const m = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const a = e.arguments[0];
    return (m === 'getRepository' || m === 'getTreeRepository') && a && ts.isIdentifier(a) ? a.text : undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = findDeclaration(e);
    if (decl && ts.isVariableDeclaration(decl)) return decl.initializer ? repositoryEntity(decl.initializer, depth + 1) : typeEntity(decl.type);
    if (decl && ts.isParameter(decl)) return parameterEntity(decl);
    // Active Record: `Post.find(…)` on an entity class that extends BaseEntity.
    return !decl && /^[A-Z]/.test(e.text) ? e.text : undefined;
  }
  const cls = enclosingClass(e);
  // A repository class of its own: `class PostRepository extends EntityRepository<Post>` calling `this.find(…)`.
  if (e.kind === ts.SyntaxKind.ThisKeyword) return cls && extendedRepository(cls);
  if (cls && ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const name = e.name.text;
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    const param = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
    if (param) return parameterEntity(param);
    const prop = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name);
    if (prop) return (prop.initializer && repositoryEntity(prop.initializer, depth + 1)) ?? typeEntity(prop.type) ?? decoratedEntity(prop);
  }
  return undefined;
}

function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  let cls: ts.Node | undefined = n.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  return cls && ts.isClassLike(cls) ? cls : undefined;
}

function extendedRepository(cls: ts.ClassLikeDeclaration): string | undefined {
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!base || !REPOSITORY_TYPES.test(base.expression.getText())) return undefined;
  const arg = base.typeArguments?.[0];
  return arg && ts.isTypeReferenceNode(arg) ? arg.typeName.getText() : undefined;
}

function parameterEntity(p: ts.ParameterDeclaration): string | undefined {
  return decoratedEntity(p) ?? typeEntity(p.type);
}

function decoratedEntity(node: ts.Node): string | undefined {
  for (const d of (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'InjectRepository' && e.arguments[0] && ts.isIdentifier(e.arguments[0])) return e.arguments[0].text;
  }
  return undefined;
}

function typeEntity(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type) || !REPOSITORY_TYPES.test(type.typeName.getText())) return undefined;
  const arg = type.typeArguments?.[0];
  return arg && ts.isTypeReferenceNode(arg) ? arg.typeName.getText() : undefined;
}
