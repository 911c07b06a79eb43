import ts from 'typescript';

/**
 * Visits `node` and its descendants depth-first (source order) without recursion: deeply nested
 * input (thousands of brackets) must not overflow the stack. `enter` returns false to skip a subtree.
 */
export function walk(node: ts.Node, enter: (n: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [node];
  // One buffer and one callback per walk, not per node: every fact builder walks every node.
  const kids: ts.Node[] = [];
  const collect = (c: ts.Node): undefined => {
    kids.push(c);
    return undefined;
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (enter(n) === false) continue;
    ts.forEachChild(n, collect);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    kids.length = 0;
  }
}
