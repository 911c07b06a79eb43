/**
 * Maps offsets in the SQL text that was parsed back to offsets in the file. For a `.sql` file the
 * SQL is a slice of the file; for SQL inside a string it is the string's literal chunks joined with
 * a placeholder per interpolation, and a placeholder stands for the interpolation's source span.
 */
import type { Span } from '../../engine/finding';

export interface SqlSegment {
  /** Where the segment sits in the parsed SQL text. */
  sqlStart: number;
  sqlEnd: number;
  /** Where it comes from in the file. For `text` segments both have the same length. */
  fileStart: number;
  fileEnd: number;
  /**
   * `text`: SQL written literally. `hole`: a placeholder for an interpolation (`${x}`, an f-string
   * field) or a driver placeholder the parser does not know (`%s`); `text` is its source text.
   */
  kind: 'text' | 'hole';
  text: string;
  /** For holes: the file span of the whole interpolation syntax (`${x}` rather than `x`) to delete it. */
  gap?: Span;
}

export class SqlSourceMap {
  constructor(readonly segments: readonly SqlSegment[]) {}

  /** A `.sql` file: the statement text starts at `fileStart` and maps one to one. */
  static identity(fileStart: number, length: number, text: string): SqlSourceMap {
    return new SqlSourceMap([{ sqlStart: 0, sqlEnd: length, fileStart, fileEnd: fileStart + length, kind: 'text', text }]);
  }

  /** The hole whose placeholder is exactly this SQL span, if any. */
  holeAt(start: number, end: number): SqlSegment | undefined {
    return this.segments.find((s) => s.kind === 'hole' && s.sqlStart === start && s.sqlEnd === end);
  }

  /** True when the SQL span touches no placeholder (all of it is written literally). */
  isLiteral(start: number, end: number): boolean {
    return !this.segments.some((s) => s.kind === 'hole' && s.sqlStart < end && s.sqlEnd > start);
  }

  /**
   * A SQL position as a file offset. Positions at a segment boundary fall inside the literal text
   * (before `${` or after `}`), which is where an insertion stays inside the string. A position
   * strictly inside a placeholder moves to the start (`side` 'start') or end of its whole gap.
   */
  position(pos: number, side: 'start' | 'end'): number {
    for (const s of this.segments) {
      if (s.kind === 'text' && pos >= s.sqlStart && pos <= s.sqlEnd) return s.fileStart + (pos - s.sqlStart);
    }
    for (const s of this.segments) {
      if (pos >= s.sqlStart && pos <= s.sqlEnd) {
        const gap = s.gap ?? { start: s.fileStart, end: s.fileEnd };
        return side === 'start' ? gap.start : gap.end;
      }
    }
    const last = this.segments[this.segments.length - 1];
    return last ? (last.gap?.end ?? last.fileEnd) : 0;
  }

  /** A SQL span as a file span that starts and ends inside literal text or covers whole interpolations. */
  span(start: number, end: number): Span {
    return { start: this.position(start, 'start'), end: this.position(end, 'end') };
  }
}
