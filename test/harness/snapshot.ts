/** Renders findings and their fixes as text: what a reviewer reads in a snapshot diff. */
import type { Finding } from '../../server/src/engine/finding';
import { LineIndex } from '../../server/src/engine/line-index';
import { applyFix } from './engine';

function changedLines(before: string, after: string): { removed: string[]; added: string[]; from: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail), from: head + 1 };
}

export function renderSnapshot(code: string, findings: readonly Finding[]): string {
  const lines = new LineIndex(code);
  const out: string[] = [];
  for (const f of findings) {
    const s = lines.position(f.start);
    const e = lines.position(f.end);
    out.push(`${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${f.severity} ${f.ruleId}`);
    out.push(`  ${f.message}`);
    for (const fix of f.fixes) {
      out.push(`  fix (${fix.applicability}): ${fix.title}`);
      if (fix.applicability === 'display-only') continue;
      if (fix.newMigration) {
        // A new file beside this one, named when it is written.
        out.push(`  new migration <next>_${fix.newMigration.slug}${fix.newMigration.extension}`);
        for (const l of fix.newMigration.text.replace(/\n$/, '').split('\n')) out.push(`  + ${l}`);
        continue;
      }
      const diff = changedLines(code, applyFix(code, fix));
      out.push(`  @@ line ${diff.from}`);
      for (const l of diff.removed) out.push(`  - ${l}`);
      for (const l of diff.added) out.push(`  + ${l}`);
    }
    out.push('');
  }
  return out.join('\n');
}
