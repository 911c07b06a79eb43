/**
 * The single changed region between two versions of a text (common prefix and suffix): what an
 * incremental parser (tree-sitter's `edit`, TypeScript's `updateSourceFile`) needs to re-use the
 * old tree. Offsets are UTF-16 code units, like JS strings.
 */
export interface TextChange {
  start: number;
  /** End of the replaced region in the old text. */
  oldEnd: number;
  /** End of the replacement in the new text. */
  newEnd: number;
}

export function textDiff(a: string, b: string): TextChange {
  let start = 0;
  const min = Math.min(a.length, b.length);
  while (start < min && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let ea = a.length;
  let eb = b.length;
  while (ea > start && eb > start && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) {
    ea--;
    eb--;
  }
  return { start, oldEnd: ea, newEnd: eb };
}
