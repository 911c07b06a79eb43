/**
 * What translating an ORM call gives: the SQL it issues (PostgreSQL, `$n` placeholders), a
 * description for people, and notes on what was assumed or approximated. A call that cannot be
 * translated exactly throws `UntranslatableCall` naming what is not supported: never wrong SQL.
 */
export interface OrmTranslation {
  sql: string;
  /** `prisma.post.findMany → SQL`. */
  description: string;
  /** Run-time values and their placeholders, further queries the ORM issues (includes), assumptions. */
  notes: string[];
}

export class UntranslatableCall extends Error {
  constructor(call: string, what: string) {
    super(`cannot translate \`${call}\` to SQL: ${what}`);
    this.name = 'UntranslatableCall';
  }
}
