import { filesWithFindings, type LintResults } from './lint-files';
import { toJsonFinding } from './positions';

/** The stable JSON contract of DESIGN.md: `{ version: 1, files, findings }`. */
export function formatJson(results: LintResults): string {
  const findings = filesWithFindings(results).flatMap((r) => r.findings.map((f) => toJsonFinding(r.file, r.relative, f)));
  return JSON.stringify({ version: 1, files: results.files.length, findings }, null, 2) + '\n';
}
