/** `--fix`: applies fixes, non-overlapping, re-linting until stable (a fix may unlock another). */
import type { Finding } from './finding';
import { applyEdits, selectFixes, type FixMode } from './fix-selection';
import { SourceFile } from './source-file';

const MAX_PASSES = 5;

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
    const { edits, count } = selectFixes(currentFindings, mode);
    const text = applyEdits(current.text, edits);
    if (count === 0 || text === current.text) break;
    total += count;
    current = new SourceFile(current.path, current.language, text, current.version + 1);
    currentFindings = relint(current);
  }
  return { file: current, findings: currentFindings, applied: total };
}
