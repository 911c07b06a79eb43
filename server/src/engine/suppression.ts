/**
 * Suppression comments:
 *   // perflens-ignore-next-line offset-pagination     (JS/TS; also /* … *\/)
 *   -- perflens-ignore-next-line offset-pagination     (SQL)
 *   # perflens: ignore[offset-pagination]              (Python: on the line itself, or alone on the line above)
 * Without a rule id (or with `*`), every rule is suppressed. Several ids may be comma-separated.
 */
import type { Finding } from './finding';
import type { SourceFile } from './source-file';

const NEXT_LINE = /(?:\/\/|\/\*|--|#)\s*perflens-ignore-next-line\b([^\n*]*)/g;
const PYTHON = /#\s*perflens:\s*ignore(?:\[([^\]]*)\])?/g;

interface Suppression {
  line: number;
  rules: Set<string> | 'all';
}

function parseIds(list: string | undefined): Set<string> | 'all' {
  const ids = (list ?? '').split(/[\s,]+/).filter(Boolean);
  return ids.length === 0 || ids.includes('*') ? 'all' : new Set(ids);
}

export function findSuppressions(file: SourceFile): Suppression[] {
  const text = file.text;
  if (!text.includes('perflens')) return [];
  const out: Suppression[] = [];
  const lines = file.lineIndex;
  for (const m of text.matchAll(NEXT_LINE)) {
    out.push({ line: lines.position(m.index!).line + 1, rules: parseIds(m[1]) });
  }
  for (const m of text.matchAll(PYTHON)) {
    const { line } = lines.position(m.index!);
    const before = text.slice(lines.lineStart(line), m.index!);
    // A comment alone on its line covers the next line; at the end of code, its own line.
    out.push({ line: before.trim() === '' ? line + 1 : line, rules: parseIds(m[1]) });
  }
  return out;
}

export function applySuppressions(file: SourceFile, findings: Finding[]): Finding[] {
  if (findings.length === 0) return findings;
  const suppressions = findSuppressions(file);
  if (suppressions.length === 0) return findings;
  return findings.filter((f) => {
    const line = file.lineIndex.position(f.start).line;
    return !suppressions.some((s) => s.line === line && (s.rules === 'all' || s.rules.has(f.ruleId)));
  });
}

/** The comment that suppresses `ruleId` on `line`, in the file's language, for the quick-fix. */
export function suppressionComment(language: SourceFile['language'], ruleId: string): string {
  switch (language) {
    case 'python':
      return `# perflens: ignore[${ruleId}]`;
    case 'sql':
      return `-- perflens-ignore-next-line ${ruleId}`;
    default:
      return `// perflens-ignore-next-line ${ruleId}`;
  }
}
