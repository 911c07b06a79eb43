/** `--fix`: applies the first eligible fix of each finding, non-overlapping, re-linting until stable. */
import type { Applicability, Edit, Finding } from '../engine/finding';
import { SourceFile } from '../engine/source-file';

/** `safe` applies only behaviour-preserving fixes; `unsafe` (--unsafe-fixes) also the others. */
export type FixMode = 'safe' | 'unsafe';

const MAX_PASSES = 5;

export function eligible(applicability: Applicability, mode: FixMode): boolean {
  return applicability === 'safe' || (mode === 'unsafe' && applicability === 'unsafe');
}

/** Picks one fix per finding whose edits overlap no edit already picked; returns the new text. */
export function applyNonOverlapping(text: string, findings: readonly Finding[], mode: FixMode): { text: string; applied: number } {
  const chosen: Edit[] = [];
  let applied = 0;
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => eligible(f.applicability, mode));
    if (!fix || fix.edits.length === 0) continue;
    const overlaps = fix.edits.some((e) => chosen.some((c) => e.start < c.end && c.start < e.end || (e.start === c.start && e.end === c.end)));
    if (overlaps) continue;
    chosen.push(...fix.edits);
    applied++;
  }
  chosen.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of chosen) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return { text: out, applied };
}

export function applyFixesUntilStable(
  file: SourceFile,
  findings: Finding[],
  mode: FixMode,
  relint: (file: SourceFile) => Finding[],
): { file: SourceFile; findings: Finding[]; applied: number } {
  let current = file;
  let currentFindings = findings;
  let total = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { text, applied } = applyNonOverlapping(current.text, currentFindings, mode);
    if (applied === 0 || text === current.text) break;
    total += applied;
    current = new SourceFile(current.path, current.language, text, current.version + 1);
    currentFindings = relint(current);
  }
  return { file: current, findings: currentFindings, applied: total };
}
