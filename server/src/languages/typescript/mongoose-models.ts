/**
 * Mongoose models and their references: schema fields with `ref: 'User'` (arrays of them are
 * to-many), virtual populates (`schema.virtual('comments', { ref: 'Comment', … })`), NestJS
 * `@Prop({ ref: … })` and Typegoose `@prop({ ref: () => User })` class properties. The model's
 * name comes from `mongoose.model('Post', PostSchema)`, else from the schema's variable.
 */
import ts from 'typescript';
import type { ModelFact, RelationFact } from '../facts';
import { decoratorsOf, targetOf } from './decorators';
import { nodesOfKind } from './walk';

function prop(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const p = obj.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText().replace(/['"]/g, '') === key);
  return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
}

/** The model a field definition references, and whether it holds many: `{ ref }`, `[{ ref }]`, `{ type: [{ ref }] }`. */
function refOf(def: ts.Expression): { target: string; many: boolean } | undefined {
  if (ts.isArrayLiteralExpression(def) && def.elements.length === 1) {
    const inner = refOf(def.elements[0]);
    return inner && { target: inner.target, many: true };
  }
  if (!ts.isObjectLiteralExpression(def)) return undefined;
  const ref = prop(def, 'ref');
  const target = targetOf(ref);
  if (target && /^\w+$/.test(target)) return { target, many: false };
  const type = prop(def, 'type');
  if (type && ts.isArrayLiteralExpression(type)) {
    const inner = refOf(type);
    return inner && { target: inner.target, many: true };
  }
  return undefined;
}

function schemaRelations(fields: ts.ObjectLiteralExpression): RelationFact[] {
  const out: RelationFact[] = [];
  for (const p of fields.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const r = refOf(p.initializer);
    if (r) out.push({ field: p.name.getText().replace(/['"]/g, ''), kind: r.many ? 'to-many' : 'to-one', target: r.target });
  }
  return out;
}

function isSchemaConstructor(n: ts.Node): n is ts.NewExpression {
  return ts.isNewExpression(n) && /(^|\.)Schema$/.test(n.expression.getText()) && !!n.arguments?.[0] && ts.isObjectLiteralExpression(n.arguments[0]);
}

export function mongooseModels(sf: ts.SourceFile): ModelFact[] {
  const schemas = new Map<string, { relations: RelationFact[]; node: ts.Node }>();
  const registered = new Map<string, string>();
  const out: ModelFact[] = [];
  nodesOfKind(sf, ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression, ts.SyntaxKind.ClassDeclaration).forEach((n) => {
    if (isSchemaConstructor(n) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
      schemas.set(n.parent.name.text, { relations: schemaRelations(n.arguments![0] as ts.ObjectLiteralExpression), node: n.parent });
    }
    if (ts.isCallExpression(n) && (ts.isPropertyAccessExpression(n.expression) || ts.isIdentifier(n.expression))) {
      const method = ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : n.expression.text;
      const [name, schema] = n.arguments;
      // mongoose.model('Post', PostSchema) / connection.model(…) / model<IPost>('Post', PostSchema)
      if (method === 'model' && name && ts.isStringLiteralLike(name) && schema && ts.isIdentifier(schema)) registered.set(schema.text, name.text);
      // PostSchema.virtual('comments', { ref: 'Comment', localField, foreignField, justOne })
      if (method === 'virtual' && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && name && ts.isStringLiteralLike(name) && schema && ts.isObjectLiteralExpression(schema)) {
        const target = targetOf(prop(schema, 'ref'));
        const s = schemas.get(n.expression.expression.text);
        if (s && target) s.relations.push({ field: name.text, kind: prop(schema, 'justOne')?.kind === ts.SyntaxKind.TrueKeyword ? 'to-one' : 'to-many', target });
      }
    }
    // NestJS @Schema() classes and Typegoose classes: @Prop({ ref }) / @prop({ ref: () => User }).
    if (ts.isClassDeclaration(n) && n.name) {
      const relations: RelationFact[] = [];
      for (const m of n.members) {
        if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
        const deco = decoratorsOf(m).find((d) => /^[Pp]rop$/.test(d.name));
        const def = deco?.args[0];
        const r = def ? refOf(def) : undefined;
        if (r) relations.push({ field: m.name.text, kind: r.many || /\[\]$|^Array</.test(m.type?.getText() ?? '') ? 'to-many' : 'to-one', target: r.target });
      }
      if (relations.length) out.push({ name: n.name.text, orm: 'mongoose', relations, start: n.getStart(), end: n.getEnd() });
    }
  });
  for (const [variable, s] of schemas) {
    const name = registered.get(variable) ?? variable.replace(/_?schema$/i, '').replace(/^./, (c) => c.toUpperCase());
    if (name && s.relations.length) out.push({ name, orm: 'mongoose', relations: s.relations, start: s.node.getStart(), end: s.node.getEnd() });
  }
  return out;
}
