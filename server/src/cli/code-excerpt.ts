/** The source lines under a finding and the columns to mark, as the text output shows them. */
import type { SourceFile } from '../engine/source-file';

/** Ranges over more lines show the first two and the last: enough to recognise the code. */
const MAX_LINES = 4;
/** Minified or generated lines would flood the terminal: show a window around the range. */
const MAX_WIDTH = 140;
/** Context kept before the range when the window has to move right. */
const LEAD = 20;

export interface ExcerptLine {
  /** 1-based line number. */
  number: number;
  text: string;
  /** Columns of `text` to mark, [from, to), never empty. */
  from: number;
  to: number;
}

/** The lines to print, `null` where lines in the middle of a long range are left out. */
export function excerptLines(file: SourceFile, start: number, end: number): Array<ExcerptLine | null> {
  const index = file.lineIndex;
  const lineText = (line: number) => file.text.slice(index.lineStart(line), index.lineEnd(line));
  const s = index.position(start);
  let e = index.position(end);
  // A range that ends at column 0 ends with the previous line's break: nothing on that line is marked.
  if (e.line > s.line && e.character === 0) e = { line: e.line - 1, character: lineText(e.line - 1).length };
  const lines: Array<number | null> = [];
  if (e.line - s.line + 1 > MAX_LINES) lines.push(s.line, s.line + 1, null, e.line);
  else for (let l = s.line; l <= e.line; l++) lines.push(l);
  return lines.map((line) => {
    if (line === null) return null;
    // One column per tab keeps the marks under the right characters whatever the terminal's tab width.
    const raw = lineText(line).replace(/\t/g, ' ');
    const from = line === s.line ? s.character : raw.length - raw.trimStart().length;
    const to = Math.max(from + 1, line === e.line ? e.character : raw.length);
    return clip(line + 1, raw, Math.min(from, raw.length), to);
  });
}

function clip(number: number, raw: string, from: number, to: number): ExcerptLine {
  if (raw.length <= MAX_WIDTH) return { number, text: raw, from, to };
  const begin = from > MAX_WIDTH - 2 * LEAD ? from - LEAD : 0;
  const finish = Math.min(raw.length, begin + MAX_WIDTH);
  const head = begin > 0 ? '…' : '';
  const text = head + raw.slice(begin, finish) + (finish < raw.length ? '…' : '');
  const shift = head.length - begin;
  return { number, text, from: from + shift, to: Math.max(from + 1, Math.min(to, finish)) + shift };
}
