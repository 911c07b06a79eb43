/** Decorators of a class or member, by name with their arguments: how entity classes declare relations. */
import ts from 'typescript';

export interface DecoratorUse {
  /** `ManyToOne` for `@ManyToOne(() => User)` and `@orm.ManyToOne(…)`. */
  name: string;
  args: readonly ts.Expression[];
}

export function decoratorsOf(node: ts.Node): DecoratorUse[] {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).map((d) => {
    const call = ts.isCallExpression(d.expression) ? d.expression : undefined;
    const callee = call ? call.expression : d.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
    return { name, args: call?.arguments ?? [] };
  });
}

/** The entity a relation decorator points at: `() => User`, `(type) => User`, `'User'`, `User`. */
export function targetOf(arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  let e: ts.Node = arg;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const body: ts.Node = e.body;
    e = ts.isBlock(body) ? (body.statements.find(ts.isReturnStatement)?.expression ?? body) : body;
  }
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
  // `[User]` in type-graphql style factories; `User.name` in NestJS Mongoose refs.
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 1) e = e.elements[0];
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'name' && ts.isIdentifier(e.expression)) e = e.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The first object literal among the arguments (relation options). */
export function optionsOf(args: readonly ts.Expression[]): ts.ObjectLiteralExpression | undefined {
  return args.find(ts.isObjectLiteralExpression);
}

/** `key: true` in an options object. */
export function isTrueOption(obj: ts.ObjectLiteralExpression | undefined, key: string): boolean {
  return !!obj?.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === key && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
}

/** Property and column names an `@Index([...])`/`@Unique([...])` of a class lists first (`@Index('name', ['a', 'b'])` too). */
export function leadingOf(d: DecoratorUse): string | undefined {
  const list = d.args.find(ts.isArrayLiteralExpression);
  const first = list?.elements[0];
  return first && ts.isStringLiteralLike(first) ? first.text : undefined;
}
