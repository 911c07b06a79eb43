/** Model classes and their relation fields, the part Django and SQLAlchemy declarations share. */
import type { ModelFact, OrmId, RelationFact } from '../facts';
import { assignmentStatements, field, nodesOfType, type Node } from './tree';

export interface ModelDeclarations {
  orm: OrmId;
  /** A base class that makes a class a model. */
  base: RegExp;
  /** The call that declares a relation field (`ForeignKey`, `relationship`). */
  relationCall: RegExp;
  /** The relation a field declares: `name = Call(...)` (with its annotation, if any). */
  relation(className: string, fieldName: string, call: Node, annotation: string): RelationFact | undefined;
  /** What else the ORM's model facts say, read from the class (Django, SQLAlchemy: fields and indexes). */
  more?(body: Node, name: string, cls: Node): Partial<ModelFact>;
}

export function modelClasses(root: Node, d: ModelDeclarations): ModelFact[] {
  const out: ModelFact[] = [];
  for (const cls of nodesOfType(root, 'class_definition')) {
    if (!cls) continue;
    const bases = field(cls, 'superclasses')?.namedChildren.map((b) => b?.text ?? '') ?? [];
    if (!bases.some((b) => d.base.test(b))) continue;
    const name = field(cls, 'name')?.text;
    const body = field(cls, 'body');
    if (!name || !body) continue;
    const relations: RelationFact[] = [];
    for (const { assign, left, right } of assignmentStatements(body)) {
      if (left?.type !== 'identifier' || right?.type !== 'call' || !d.relationCall.test(field(right, 'function')?.text ?? '')) continue;
      const rel = d.relation(name, left.text, right, field(assign, 'type')?.text ?? '');
      if (rel) relations.push(rel);
    }
    out.push({ name, orm: d.orm, relations, start: cls.startIndex, end: cls.endIndex, ...d.more?.(body, name, cls) });
  }
  return out;
}
