/**
 * Typing in a large Python file: the statements an edit did not touch keep their node objects.
 *
 * An incremental re-parse re-uses the old tree's subtrees for the statements the edit did not
 * touch, but web-tree-sitter hands out new node objects for the new tree, so every walk of the fact
 * builders crossed into WASM again for every node, and the garbage of a whole tree's objects came
 * with each keystroke. Here the old nodes whose subtrees the parser re-used (the module's
 * statements, then the children of each node down the edit's path: the other methods of an edited
 * class) are moved into the new tree: their node objects, with what `node-memo` kept of them and
 * their node indexes, stay; those after the edit get shifted positions. They already refer to the
 * new tree: all node objects of a file refer to one handle that the adapter points at each new
 * tree. Only the nodes on the edit's path are read from WASM again.
 *
 * A node is re-used when its subtree is the old one. A node's id is the address of its slot in its
 * parent's child array, which holds the subtree (a pointer, or a small leaf inline): the slots of
 * the old node (in the old tree, still alive) and of the new one hold the same value exactly when
 * the parser re-used the subtree, which it does only where the text is unchanged. Then every node
 * below has the same slot in both trees, and keeps its id. (Comparing a child's id instead is not
 * enough: a re-used hidden child can sit under a new node.)
 */
import type { Node } from 'web-tree-sitter';
import type { TextChange } from '../text-diff';
import { memoOf } from './node-memo';
import { sameSubtree } from './python-language';

let generation = 0;

/** Moves a subtree's node objects `delta` characters and `rows` lines further. */
function shift(statement: Node, delta: number, rows: number): void {
  const mark = ++generation;
  const stack: Node[] = [statement];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const m = memoOf(n);
    if (m.plMoved === mark) continue;
    m.plMoved = mark;
    (n as { startIndex: number }).startIndex += delta;
    // Each node has a position object of its own (web-tree-sitter makes one per node object),
    // which nothing but the node refers to: shifted in place, without an object per moved node.
    (n.startPosition as { row: number }).row += rows;
    if (m.plEndIndex !== undefined) m.plEndIndex += delta;
    if (m._children) for (const k of m._children) if (k) stack.push(k);
    if (m._namedChildren) for (const k of m._namedChildren) if (k) stack.push(k);
    if (m.plFields) for (let i = 1; i < m.plFields.length; i += 2) if (m.plFields[i]) stack.push(m.plFields[i] as Node);
  }
}

/**
 * Puts the old tree's re-usable nodes in the new one: the children of the new root that the edit
 * did not touch, then, down the path of the edit (a method inside a class inside the module), the
 * children of each node on it. `change` is the edit between the two texts; `endRows` the rows of
 * its old and new end. Returns how many subtrees were moved.
 */
export function adoptUnchanged(oldRoot: Node, newRoot: Node, change: TextChange, endRows: { old: number; new: number }): number {
  const delta = change.newEnd - change.oldEnd;
  const rows = endRows.new - endRows.old;
  let adopted = 0;
  let oldParent: Node | undefined = oldRoot;
  let newParent: Node | undefined = newRoot;
  while (oldParent && newParent) {
    const oldChildren = memoOf(oldParent)._namedChildren;
    if (!oldChildren) break;
    // Old children by where they start in the new text; the one the edit is in, if any.
    const byStart = new Map<number, Node>();
    let edited: Node | undefined;
    for (const s of oldChildren) {
      if (!s) continue;
      if (s.endIndex <= change.start) byStart.set(s.startIndex, s);
      // After the edit, on a line of its own (a node on the edit's last line moves sideways too).
      else if (s.startIndex >= change.oldEnd && s.startPosition.row > endRows.old) byStart.set(s.startIndex + delta, s);
      else if (s.startIndex <= change.start && s.endIndex >= change.oldEnd) edited = s;
    }
    const children = newParent.namedChildren;
    let next: Node | undefined;
    for (let i = 0; i < children.length; i++) {
      const fresh = children[i];
      if (!fresh) continue;
      const old = byStart.get(fresh.startIndex);
      if (!old) {
        if (edited && fresh.startIndex === edited.startIndex && fresh.type === edited.type) next = fresh;
        continue;
      }
      if (old.type !== fresh.type) continue;
      const after = old.startIndex >= change.start;
      if (old.endIndex + (after ? delta : 0) !== fresh.endIndex) continue;
      if (!sameSubtree(old, fresh)) continue;
      // Before the edit, nothing changes: the node objects already refer to the new tree.
      if (after && (delta !== 0 || rows !== 0)) shift(old, delta, rows);
      // The node's own slot is in the new parent's array: its id and alias are the new node's.
      (old as { id: number }).id = fresh.id;
      (old as unknown as { 0: number })[0] = (fresh as unknown as { 0: number })[0];
      memoOf(old).plParent = newParent;
      children[i] = old;
      adopted++;
    }
    oldParent = next && edited;
    newParent = next;
  }
  return adopted;
}
