/** `--fix`: applies fixes, non-overlapping, re-linting until stable (a fix may unlock another). */
import type { AddToFile, Finding } from './finding';
import { applyEdits, selectFixes, type FixMode } from './fix-selection';
import { SourceFile } from './source-file';

const MAX_PASSES = 5;

export function applyFixesUntilStable(
  file: SourceFile,
  findings: Finding[],
  mode: FixMode,
  relint: (file: SourceFile) => Finding[],
): { file: SourceFile; findings: Finding[]; applied: number; addToFiles: AddToFile[] } {
  let current = file;
  let currentFindings = findings;
  let total = 0;
  // What the applied fixes add to other files: the caller writes them (add-to-file.ts).
  const addToFiles: AddToFile[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { edits, count, fixes } = selectFixes(currentFindings, mode);
    const text = applyEdits(current.text, edits);
    if (count === 0 || text === current.text) break;
    total += count;
    for (const f of fixes) if (f.addToFile) addToFiles.push(f.addToFile);
    current = new SourceFile(current.path, current.language, text, current.version + 1);
    currentFindings = relint(current);
  }
  return { file: current, findings: currentFindings, applied: total, addToFiles };
}
