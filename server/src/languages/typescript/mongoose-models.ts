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

/**
 * What a schema says of its top-level fields for unindexed-filter: their names (and `_id`, and
 * `createdAt`/`updatedAt` with `timestamps`), the indexes of `index: true`/`unique: true` fields
 * and of the schema's `index({ a: 1, b: -1 })` calls (their first key), and the few-valued fields
 * (`Boolean`, an `enum`). MongoDB indexes `_id` only: a reference (`ref: 'User'`) is not indexed.
 */
function schemaFields(schema: ts.NewExpression, indexCalls: readonly ts.ObjectLiteralExpression[]): Pick<ModelFact, 'fieldTypes' | 'indexes' | 'lowCardinality'> {
  const fields = schema.arguments![0] as ts.ObjectLiteralExpression;
  const fieldTypes: Record<string, string> = { _id: 'ObjectId' };
  const indexes: Array<{ columns: string[] }> = [{ columns: ['_id'] }];
  const lowCardinality: string[] = [];
  for (const p of fields.properties) {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
    const name = p.name.getText().replace(/['"]/g, '');
    const def = ts.isPropertyAssignment(p) ? p.initializer : p.name;
    const obj = ts.isObjectLiteralExpression(def) ? def : undefined;
    const type = obj ? prop(obj, 'type') : def;
    fieldTypes[name] = type?.getText() ?? 'Mixed';
    const on = (key: string) => {
      const v = obj && prop(obj, key);
      return !!v && v.kind !== ts.SyntaxKind.FalseKeyword;
    };
    if (on('index') || on('unique')) indexes.push({ columns: [name] });
    if (/(^|\.)Boolean$/.test(type?.getText() ?? '') || (obj && prop(obj, 'enum'))) lowCardinality.push(name);
  }
  const options = schema.arguments![1];
  if (options && ts.isObjectLiteralExpression(options) && prop(options, 'timestamps') && prop(options, 'timestamps')!.kind !== ts.SyntaxKind.FalseKeyword) {
    fieldTypes.createdAt ??= 'Date';
    fieldTypes.updatedAt ??= 'Date';
  }
  for (const keys of indexCalls) {
    const first = keys.properties[0];
    if (first && (ts.isPropertyAssignment(first) || ts.isShorthandPropertyAssignment(first))) indexes.push({ columns: [first.name.getText().replace(/['"]/g, '')] });
  }
  return { fieldTypes, indexes, lowCardinality };
}

function isSchemaConstructor(n: ts.Node): n is ts.NewExpression {
  return ts.isNewExpression(n) && /(^|\.)Schema$/.test(n.expression.getText()) && !!n.arguments?.[0] && ts.isObjectLiteralExpression(n.arguments[0]);
}

export function mongooseModels(sf: ts.SourceFile): ModelFact[] {
  const schemas = new Map<string, { relations: RelationFact[]; node: ts.Node; schema: ts.NewExpression }>();
  const indexCalls = new Map<string, ts.ObjectLiteralExpression[]>();
  const registered = new Map<string, string>();
  const out: ModelFact[] = [];
  nodesOfKind(sf, ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression, ts.SyntaxKind.ClassDeclaration).forEach((n) => {
    if (isSchemaConstructor(n) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
      schemas.set(n.parent.name.text, { relations: schemaRelations(n.arguments![0] as ts.ObjectLiteralExpression), node: n.parent, schema: n });
    }
    if (ts.isCallExpression(n) && (ts.isPropertyAccessExpression(n.expression) || ts.isIdentifier(n.expression))) {
      const method = ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : n.expression.text;
      const [name, schema] = n.arguments;
      // mongoose.model('Post', PostSchema) / connection.model(…) / model<IPost>('Post', PostSchema)
      if (method === 'model' && name && ts.isStringLiteralLike(name) && schema && ts.isIdentifier(schema)) registered.set(schema.text, name.text);
      // PostSchema.index({ author: 1, createdAt: -1 })
      if (method === 'index' && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && name && ts.isObjectLiteralExpression(name)) {
        const list = indexCalls.get(n.expression.expression.text) ?? [];
        list.push(name);
        indexCalls.set(n.expression.expression.text, list);
      }
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
    if (name) out.push({ name, orm: 'mongoose', relations: s.relations, start: s.node.getStart(), end: s.node.getEnd(), ...schemaFields(s.schema, indexCalls.get(variable) ?? []) });
  }
  return out;
}
