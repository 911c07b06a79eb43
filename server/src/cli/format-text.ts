/** Terminal output: location, severity, message, rule; the code with the range marked; a summary. */
import type { Severity } from '../engine/finding';
import { eligible } from '../engine/fix-selection';
import type { LintResults } from './lint-files';

export interface TextStyle {
  color: boolean;
}

const CODES = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;

function paint(style: TextStyle, code: keyof typeof CODES, s: string): string {
  return style.color ? `\x1b[${CODES[code]}m${s}\x1b[0m` : s;
}

const SEVERITY_COLOR: Record<Severity, keyof typeof CODES> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' };

/** Colour on a TTY unless NO_COLOR; FORCE_COLOR turns it on anywhere. */
export function detectStyle(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): TextStyle {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return { color: true };
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { color: false };
  return { color: Boolean(stream.isTTY) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(results: LintResults, style: TextStyle): string {
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let safe = 0;
  let unsafe = 0;
  let filesWithFindings = 0;
  for (const { file, relative, findings } of results.files) {
    if (findings.length) filesWithFindings++;
    for (const f of findings) {
      counts[f.severity]++;
      if (f.fixes.some((x) => eligible(x.applicability, 'safe'))) safe++;
      else if (f.fixes.some((x) => eligible(x.applicability, 'unsafe'))) unsafe++;
      const s = file.lineIndex.position(f.start);
      const e = file.lineIndex.position(f.end);
      out.push(
        `${paint(style, 'bold', `${relative}:${s.line + 1}:${s.character + 1}`)}  ${paint(style, SEVERITY_COLOR[f.severity], f.severity)}  ${f.message}  ${paint(style, 'dim', `[${f.ruleId}]`)}`,
      );
      const lineText = file.text.slice(file.lineIndex.lineStart(s.line), file.lineIndex.lineEnd(s.line)).replace(/\t/g, ' ');
      const gutter = String(s.line + 1);
      const markEnd = e.line === s.line ? e.character : lineText.length;
      const marks = '^'.repeat(Math.max(1, markEnd - s.character));
      out.push(paint(style, 'dim', `  ${gutter} | `) + lineText);
      out.push(paint(style, 'dim', `  ${' '.repeat(gutter.length)} | `) + ' '.repeat(s.character) + paint(style, SEVERITY_COLOR[f.severity], marks));
      for (const fix of f.fixes) {
        const how = fix.applicability === 'safe' ? 'fix: --fix' : fix.applicability === 'unsafe' ? 'fix: --fix --unsafe-fixes, changes behaviour' : 'suggestion';
        out.push(`  ${paint(style, 'cyan', '↳')} ${fix.title} ${paint(style, 'dim', `(${how})`)}`);
      }
      out.push('');
    }
  }
  for (const s of results.skipped) out.push(paint(style, 'dim', `${s.file}: skipped (${s.reason})`));
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const scanned = plural(results.files.length, 'file');
  if (total === 0) {
    out.push(`No problems in ${scanned}.`);
  } else {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info + counts.hint) parts.push(`${counts.info + counts.hint} info`);
    let summary = `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(filesWithFindings, 'file')} (${scanned} checked)`;
    const fixable: string[] = [];
    if (safe) fixable.push(`${safe} fixable with --fix`);
    if (unsafe) fixable.push(`${unsafe} with --fix --unsafe-fixes`);
    if (fixable.length) summary += `; ${fixable.join(', ')}`;
    out.push(paint(style, 'bold', summary + '.'));
  }
  if (results.fixesApplied) out.push(`Applied ${plural(results.fixesApplied, 'fix')}.`);
  return out.join('\n') + '\n';
}
