import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/engine/line-index';

describe('LineIndex', () => {
  it('maps offsets to positions and back across \\n, \\r\\n and \\r', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const idx = new LineIndex(text);
    assert.equal(idx.lineCount, 4);
    for (let o = 0; o <= text.length; o++) {
      const p = idx.position(o);
      if (text[o - 1] === '\r' && text[o] === '\n') continue; // between \r and \n: not a position
      assert.equal(idx.offset(p.line, p.character), o, `offset ${o}`);
    }
    assert.deepEqual(idx.position(text.indexOf('g')), { line: 3, character: 0 });
    assert.equal(idx.lineEnd(1), text.indexOf('\r\n'));
  });

  it('clamps out-of-range input', () => {
    const idx = new LineIndex('x\ny');
    assert.deepEqual(idx.position(99), { line: 1, character: 1 });
    assert.equal(idx.offset(5, 0), 3);
    assert.equal(idx.offset(0, 99), 1);
  });
});
