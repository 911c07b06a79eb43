import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine/finding';
import { SourceFile } from '../../server/src/engine/source-file';
import { applySuppressions, suppressionComment } from '../../server/src/engine/suppression';

function findingOnLine(file: SourceFile, line: number, ruleId = 'offset-pagination'): Finding {
  const start = file.lineIndex.lineStart(line);
  return { ruleId, severity: 'warning', start, end: start + 1, message: 'm', fixes: [] };
}

describe('suppression comments', () => {
  it('// perflens-ignore-next-line <rule> suppresses that rule on the next line only', () => {
    const f = new SourceFile('/a.ts', 'typescript', 'a\n// perflens-ignore-next-line offset-pagination\nb\nc\n');
    const kept = applySuppressions(f, [findingOnLine(f, 2), findingOnLine(f, 2, 'n-plus-one'), findingOnLine(f, 3)]);
    assert.deepEqual(kept.map((k) => [f.lineIndex.position(k.start).line, k.ruleId]), [[2, 'n-plus-one'], [3, 'offset-pagination']]);
  });

  it('without a rule id, every rule is suppressed', () => {
    const f = new SourceFile('/a.sql', 'sql', '-- perflens-ignore-next-line\nSELECT 1\n');
    assert.equal(applySuppressions(f, [findingOnLine(f, 1), findingOnLine(f, 1, 'other')]).length, 0);
  });

  it('# perflens: ignore[rule] covers its own line, or the next when alone on a line', () => {
    const f = new SourceFile('/a.py', 'python', 'x = qs[a:b]  # perflens: ignore[offset-pagination]\n# perflens: ignore[offset-pagination, n-plus-one]\ny = qs[a:b]\nz = qs[a:b]\n');
    const kept = applySuppressions(f, [findingOnLine(f, 0), findingOnLine(f, 2), findingOnLine(f, 3)]);
    assert.deepEqual(kept.map((k) => f.lineIndex.position(k.start).line), [3]);
  });

  it('writes the comment in the file language', () => {
    assert.equal(suppressionComment('python', 'n-plus-one'), '# perflens: ignore[n-plus-one]');
    assert.equal(suppressionComment('typescript', 'n-plus-one'), '// perflens-ignore-next-line n-plus-one');
    assert.equal(suppressionComment('sql', 'n-plus-one'), '-- perflens-ignore-next-line n-plus-one');
  });
});
