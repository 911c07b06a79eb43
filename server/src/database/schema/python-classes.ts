/**
 * The class declarations of a Python module as the model translators read them: bases, class
 * attributes (`name = value`, `name: Annotation = value`, `name: Annotation`) and the attributes of
 * an inner `class Meta`. Literals are read from the syntax tree; nothing is evaluated.
 */
import { args, assignmentStatements, field, keywordArg, type Node } from '../../languages/python/tree';

export interface PyAttribute {
  name: string;
  /** Annotation text without spaces (`Mapped[Optional[int]]`), empty when absent. */
  annotation: string;
  value?: Node;
}

export interface PyClass {
  name: string;
  /** Base expressions as written (`models.Model`, `Base`). */
  bases: string[];
  /** Class keyword arguments (`table=True` of SQLModel). */
  keywords: Map<string, Node>;
  attributes: PyAttribute[];
  /** Attributes of the inner `class Meta` (Django). */
  meta: Map<string, Node>;
  node: Node;
}

export function moduleClasses(root: Node): PyClass[] {
  const out: PyClass[] = [];
  for (const st of root.namedChildren) {
    const cls = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
    if (cls?.type !== 'class_definition') continue;
    const name = field(cls, 'name')?.text;
    const body = field(cls, 'body');
    if (!name || !body) continue;
    const bases: string[] = [];
    const keywords = new Map<string, Node>();
    for (const b of field(cls, 'superclasses')?.namedChildren ?? []) {
      if (!b) continue;
      if (b.type === 'keyword_argument') {
        const value = field(b, 'value');
        if (value) keywords.set(field(b, 'name')?.text ?? '', value);
      } else bases.push(b.text.replace(/\s/g, ''));
    }
    const meta = new Map<string, Node>();
    for (const inner of body.namedChildren) {
      if (inner?.type === 'class_definition' && field(inner, 'name')?.text === 'Meta') for (const a of attributesOf(inner)) if (a.value) meta.set(a.name, a.value);
    }
    out.push({ name, bases, keywords, attributes: attributesOf(cls), meta, node: cls });
  }
  return out;
}

function attributesOf(cls: Node): PyAttribute[] {
  const out: PyAttribute[] = [];
  for (const { assign, left, right } of assignmentStatements(field(cls, 'body'))) {
    if (left?.type !== 'identifier') continue;
    out.push({ name: left.text, annotation: field(assign, 'type')?.text.replace(/\s/g, '') ?? '', value: right ?? undefined });
  }
  return out;
}

/** Module-level `NAME = value` assignments (settings modules). */
export function moduleAssignments(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const { left, right } of assignmentStatements(root)) if (left?.type === 'identifier' && right) out.set(left.text, right);
  return out;
}

/** The text of a plain string literal (no f-string interpolation), else undefined. */
export function stringLiteral(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'concatenated_string') {
    const parts = n.namedChildren.map((c) => stringLiteral(c));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (n.type !== 'string' || n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

export function intLiteral(n: Node | null | undefined): number | undefined {
  return n?.type === 'integer' && /^\d+$/.test(n.text) ? Number(n.text) : undefined;
}

export function isTrue(n: Node | null | undefined): boolean {
  return n?.type === 'true';
}

/** `models.CharField` → `CharField`; `sa.Column` → `Column`. */
export function lastName(text: string): string {
  return text.split('.').pop() ?? text;
}

/** Positional arguments of a call (keyword arguments and `*args` left out). */
export function positional(call: Node): Node[] {
  return args(call).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
}

export function kwarg(call: Node, name: string): Node | undefined {
  return keywordArg(call, name);
}

/** Elements of a list or tuple literal. */
export function elements(n: Node | null | undefined): Node[] {
  if (!n) return [];
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'set') return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (n.type === 'parenthesized_expression') return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  return [n];
}
