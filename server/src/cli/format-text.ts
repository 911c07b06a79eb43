/** Terminal output: location, severity, message, rule; the code with the range marked; a summary. */
import type { Severity } from '../engine/finding';
import { eligible } from '../engine/fix-selection';
import { excerptLines } from './code-excerpt';
import { filesWithFindings, type LintResults } from './lint-files';

export interface TextStyle {
  color: boolean;
}

const CODES = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;

function paint(style: TextStyle, code: keyof typeof CODES, s: string): string {
  return style.color ? `\x1b[${CODES[code]}m${s}\x1b[0m` : s;
}

const SEVERITY_COLOR: Record<Severity, keyof typeof CODES> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' };

/**
 * Colour on a TTY unless NO_COLOR is set; FORCE_COLOR turns it on anywhere (CI logs render ANSI),
 * and FORCE_COLOR=0/false turns it off, as chalk and Node read it.
 */
export function detectStyle(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): TextStyle {
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return { color: false };
  if (force !== undefined && force !== '') return { color: true };
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { color: false };
  return { color: Boolean(stream.isTTY) };
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

export function formatText(results: LintResults, style: TextStyle): string {
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let safe = 0;
  let unsafe = 0;
  const withFindings = filesWithFindings(results);
  for (const { file, relative, findings } of withFindings) {
    for (const f of findings) {
      counts[f.severity]++;
      if (f.fixes.some((x) => eligible(x.applicability, 'safe'))) safe++;
      else if (f.fixes.some((x) => eligible(x.applicability, 'unsafe'))) unsafe++;
      const s = file.lineIndex.position(f.start);
      out.push(
        `${paint(style, 'bold', `${relative}:${s.line + 1}:${s.character + 1}`)}  ${paint(style, SEVERITY_COLOR[f.severity], f.severity)}  ${f.message}  ${paint(style, 'dim', `[${f.ruleId}]`)}`,
      );
      const lines = excerptLines(file, f.start, f.end);
      const width = Math.max(...lines.map((l) => String(l?.number ?? '').length));
      for (const line of lines) {
        if (line === null) {
          out.push(paint(style, 'dim', `  ${'…'.padStart(width)} |`));
          continue;
        }
        out.push(paint(style, 'dim', `  ${String(line.number).padStart(width)} | `) + line.text);
        out.push(paint(style, 'dim', `  ${' '.repeat(width)} | `) + ' '.repeat(line.from) + paint(style, SEVERITY_COLOR[f.severity], '^'.repeat(line.to - line.from)));
      }
      for (const fix of f.fixes) {
        const writes = fix.newMigration ? ', writes a new migration' : fix.addToFile ? (fix.edits.length ? ', also writes another file' : ', writes another file only') : '';
        const how = fix.applicability === 'safe' ? `fix: --fix${writes}` : fix.applicability === 'unsafe' ? `fix: --fix --unsafe-fixes, changes behaviour${writes}` : 'suggestion';
        out.push(`  ${paint(style, 'cyan', '↳')} ${fix.title} ${paint(style, 'dim', `(${how})`)}`);
      }
      out.push('');
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const scanned = plural(results.files.length, 'file');
  if (total === 0) {
    out.push(`No problems in ${scanned}.`);
  } else {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info) parts.push(`${counts.info} info`);
    // Hints: findings in tests, migrations and scripts (not request paths), at their own severity.
    if (counts.hint) parts.push(plural(counts.hint, 'hint'));
    let summary = `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(withFindings.length, 'file')} (${scanned} checked)`;
    const fixable: string[] = [];
    if (safe) fixable.push(`${safe} fixable with --fix`);
    if (unsafe) fixable.push(`${unsafe} with --fix --unsafe-fixes`);
    if (fixable.length) summary += `; ${fixable.join(', ')}`;
    out.push(paint(style, 'bold', summary + '.'));
  }
  if (results.fixesApplied) out.push(`Applied ${plural(results.fixesApplied, 'fix', 'fixes')}.`);
  return out.join('\n') + '\n';
}
