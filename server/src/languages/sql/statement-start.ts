/**
 * A cheap test before parsing a string as SQL: can a statement of this dialect start here?
 * Most strings handed to the parser are fragments (`sql\` where ${x}\``, `' desc'`, `'? = ?'`) that
 * fail in every dialect and every hole mode, and a failed parse costs as much as a good one (the
 * parser also builds the list of what it expected). The words that may begin a statement are
 * taken from the parser itself (what it expects at offset 0 of a text that cannot start a
 * program), so the test rejects only texts the parser would reject too.
 */
import type { SqlDialect } from '../facts';
import { parse, PeggySyntaxError } from 'sql-parser-cst/lib/parser';

interface FirstTokens {
  /** Upper-cased keywords (and punctuation such as `(`) a program may begin with. */
  literals: Set<string>;
  /** The dialect takes an identifier first (MySQL's `label: BEGIN … END`): it must be followed by `:`. */
  labels: boolean;
}

const cache = new Map<SqlDialect, FirstTokens>();

/** A digit cannot begin any statement, so the parser fails at offset 0 and lists all it expected there. */
function firstTokens(dialect: SqlDialect): FirstTokens {
  let found = cache.get(dialect);
  if (found) return found;
  found = { literals: new Set(), labels: false };
  try {
    parse('1', { dialect });
    // Parsed: this parser version takes anything first; never filter.
    found.labels = true;
    found.literals.add('*');
  } catch (e) {
    if (!(e instanceof PeggySyntaxError) || e.location.start.offset !== 0) found.literals.add('*');
    else {
      for (const x of e.expected) {
        if (x.type === 'literal') found.literals.add(x.text.toUpperCase());
        else if (x.type === 'other' && x.description === 'whitespace') continue;
        else if (x.type === 'end') continue;
        else if (x.type === 'other' && x.description === 'identifier') found.labels = true;
        // Anything else (a character class): do not guess, let every text through.
        else found.literals.add('*');
      }
    }
  }
  cache.set(dialect, found);
  return found;
}

/** Skips whitespace and comments (`-- …`, `/* … *\/`, MySQL's `# …`) from `i`. */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('--', i) || text[i] === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return text.length;
      i = nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return text.length;
      i = end + 2;
    } else return i;
  }
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

export function mayStartStatement(text: string, dialect: SqlDialect): boolean {
  const first = firstTokens(dialect);
  if (first.literals.has('*')) return true;
  const i = skipTrivia(text, 0);
  if (i >= text.length) return false;
  if (text[i] === '(') return first.literals.has('(');
  WORD.lastIndex = i;
  const word = WORD.exec(text)?.[0];
  if (word && first.literals.has(word.toUpperCase())) return true;
  // A label needs a colon; where it would be is not worth pinning down (quoted names, comments).
  return first.labels && text.includes(':', i);
}
