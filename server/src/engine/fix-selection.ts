/** Picking fixes to apply together (CLI --fix, fix-all on save): one per finding, none overlapping. */
import type { Applicability, Edit, Finding, Fix } from './finding';

/** `safe` takes only behaviour-preserving fixes; `unsafe` (CLI --unsafe-fixes) also the others. */
export type FixMode = 'safe' | 'unsafe';

export function eligible(applicability: Applicability, mode: FixMode): boolean {
  return applicability === 'safe' || (mode === 'unsafe' && applicability === 'unsafe');
}

/** The edits of the first eligible fix of each finding whose edits touch no edit already taken, and those fixes. */
export function selectFixes(findings: readonly Finding[], mode: FixMode): { edits: Edit[]; count: number; fixes: Fix[] } {
  const chosen: Edit[] = [];
  const fixes: Fix[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => eligible(f.applicability, mode));
    if (!fix || fix.edits.length === 0) continue;
    const clash = fix.edits.some((e) => chosen.some((c) => (e.start < c.end && c.start < e.end) || e.start === c.start));
    if (clash) continue;
    chosen.push(...fix.edits);
    fixes.push(fix);
  }
  return { edits: chosen.sort((a, b) => a.start - b.start), count: fixes.length, fixes };
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
