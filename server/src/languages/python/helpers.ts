/**
 * Functions of one Python file that issue a query (directly or through other such functions), and
 * their calls inside loops: a query per item behind a helper or a `self.` method.
 */
import { enclosingLoop, usesItem } from './loops';
import type { PyQueryFact } from './queries';
import { enclosingFunction, field, type Node } from './tree';

function calledName(call: Node): string | undefined {
  const f = field(call, 'function');
  if (f?.type === 'identifier') return f.text;
  if (f?.type === 'attribute' && /^(self|cls)$/.test(field(f, 'object')?.text ?? '')) return field(f, 'attribute')?.text;
  return undefined;
}

function functionName(n: Node | undefined): string | undefined {
  return n ? field(n, 'name')?.text : undefined;
}

export function helperCallsInLoops(root: Node, queries: readonly PyQueryFact[]): PyQueryFact[] {
  const helpers = new Map<string, { chain: string[]; query: PyQueryFact }>();
  for (const q of queries) {
    // Query facts keep spans, not nodes: find the node again by its span.
    const node = root.descendantForIndex(q.start, q.end);
    const fn = node ? enclosingFunction(node) : undefined;
    const name = functionName(fn);
    if (name && !helpers.has(name)) helpers.set(name, { chain: [name, q.callee], query: q });
  }
  const out: PyQueryFact[] = [];
  if (helpers.size === 0) return out;
  const calls = root.descendantsOfType('call').filter((c): c is Node => !!c && !!calledName(c));
  for (let round = 0; round < 3; round++) {
    let grew = false;
    for (const call of calls) {
      const inner = helpers.get(calledName(call)!);
      const outer = inner ? functionName(enclosingFunction(call)) : undefined;
      if (inner && outer && !helpers.has(outer)) {
        helpers.set(outer, { chain: [outer, ...inner.chain], query: inner.query });
        grew = true;
      }
    }
    if (!grew) break;
  }
  for (const call of calls) {
    const helper = helpers.get(calledName(call)!);
    if (!helper) continue;
    const loop = enclosingLoop(call);
    if (!loop) continue;
    const q = helper.query;
    out.push({
      orm: q.orm, model: q.model, operation: q.operation, callee: field(call, 'function')!.text, start: call.startIndex, end: call.endIndex,
      style: q.style, loop: loop.fact, usesLoopItem: usesItem(loop, call), write: q.write, via: helper.chain,
    });
  }
  return out;
}
