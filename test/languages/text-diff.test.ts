/**
 * The changed region between two texts, as the incremental parsers get it: the longest common
 * prefix, then the longest common suffix that does not overlap it. Checked against the plain
 * character loop on edits of every size and place, long runs of equal text included (the blocks).
 */
import * as assert from 'node:assert/strict';
import { textDiff, type TextChange } from '../../server/src/languages/text-diff';

function byCharacters(a: string, b: string): TextChange {
  let start = 0;
  while (start < Math.min(a.length, b.length) && a[start] === b[start]) start++;
  let ea = a.length;
  let eb = b.length;
  while (ea > start && eb > start && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  return { start, oldEnd: ea, newEnd: eb };
}

/** A small deterministic generator: the same cases on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('textDiff', () => {
  it('finds an insertion, a deletion and a replacement in a long text', () => {
    const text = 'def f():\n    return 1\n'.repeat(2000);
    const at = 20_011;
    assert.deepEqual(textDiff(text, text.slice(0, at) + '# x\n' + text.slice(at)), byCharacters(text, text.slice(0, at) + '# x\n' + text.slice(at)));
    assert.deepEqual(textDiff(text, text.slice(0, at) + text.slice(at + 7)), byCharacters(text, text.slice(0, at) + text.slice(at + 7)));
    assert.deepEqual(textDiff(text, text), { start: text.length, oldEnd: text.length, newEnd: text.length });
    assert.deepEqual(textDiff('', text), { start: 0, oldEnd: 0, newEnd: text.length });
  });

  it('agrees with the character loop on random edits of repetitive and varied text', () => {
    const next = random(7);
    const alphabet = 'ab\n😀é';
    for (let i = 0; i < 400; i++) {
      const length = Math.floor(next() * 5000);
      const repetitive = i % 2 === 0;
      let a = '';
      for (let k = 0; k < length; k++) a += repetitive ? 'abc'[k % 3] : alphabet[Math.floor(next() * alphabet.length)];
      const start = Math.floor(next() * (a.length + 1));
      const end = Math.min(a.length, start + Math.floor(next() * 2000));
      let inserted = '';
      for (let k = Math.floor(next() * 3000); k > 0; k--) inserted += repetitive ? 'abc'[k % 3] : alphabet[Math.floor(next() * alphabet.length)];
      const b = a.slice(0, start) + inserted + a.slice(end);
      assert.deepEqual(textDiff(a, b), byCharacters(a, b), `case ${i}`);
      assert.deepEqual(textDiff(b, a), byCharacters(b, a), `case ${i} reversed`);
    }
  });
});
