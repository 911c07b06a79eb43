/** What a rule reports, in file offsets (UTF-16 code units, as in JS strings and LSP). */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * `safe`: behaviour unchanged — may be preferred and applied by fix-all on save.
 * `unsafe`: changes behaviour (e.g. page boundaries) — offered, never applied automatically.
 * `display-only`: shown as guidance, no edit is applied.
 */
export type Applicability = 'safe' | 'unsafe' | 'display-only';

export interface Span {
  start: number;
  end: number;
}

export interface Edit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: Edit[];
  /**
   * A migration file the fix adds beside the file's own (which has run already): its name is the
   * next in the folder's scheme, chosen when the fix is applied (migration-names.ts): by the
   * editor's quick fix, or `perflens lint --fix`. Such a fix has no edits of the file itself.
   */
  newMigration?: NewMigration;
  /** Code the fix adds to another file of the workspace (made when missing), besides its edits of this one. */
  addToFile?: AddToFile;
}

/** What a fix adds to another file: code (Python) or an index on a model's fields. */
export type AddToFile = AddBlock | AddIndex;

/**
 * Code a fix adds to another file: the import lines it needs (those the file lacks go after its
 * imports) and a block at its end (unless the file defines that name already). Given as text, not
 * edits: the file may change between the lint and the fix (it may be open in the editor with
 * other text), so the edits are made from its text when the fix is applied (add-to-file.ts).
 * Python files.
 */
export interface AddBlock {
  kind: 'block';
  /** Absolute. */
  path: string;
  /** Whole import lines: `from celery import shared_task`. */
  imports: string[];
  /** The block appended, without leading blank lines. */
  block: string;
  /** The top-level name the block defines. */
  defines: string;
}

/**
 * An index on `fields` of `model`, declared where the model is: `@@index([…])` in its block of
 * schema.prisma, `db_index=True` on a Django model's field, `index=True` on a SQLAlchemy, SQLModel or Peewee column,
 * `@Index()` on a TypeORM or MikroORM entity's property, `index(…).on(…)` in a Drizzle table's extra config,
 * `index: true` on a Mongoose schema's field, an entry of a Sequelize model's `indexes`. Made from the file's text when applied,
 * as AddBlock is; nothing when the file has the index already or no longer has the model.
 */
export interface AddIndex {
  kind: 'index';
  /** Absolute: the file that declares the model. */
  path: string;
  orm: 'prisma' | 'django' | 'sqlalchemy' | 'peewee' | 'typeorm' | 'mikro-orm' | 'drizzle' | 'mongoose' | 'sequelize';
  model: string;
  fields: string[];
}

export interface NewMigration {
  /** The folder, absolute: the finding's file's. */
  dir: string;
  /** What the name says after its sequence number or timestamp: `add_posts_author_id_index`. */
  slug: string;
  /** `.sql`, `.js`, `.ts`, `.up.sql` (golang-migrate, with `down` beside it). */
  extension: string;
  text: string;
  /** The `.down.sql` of an `.up.sql`. */
  down?: string;
}

/** What a detector returns: where, why, and how to fix. Severity comes from configuration. */
export interface Detection extends Span {
  message: string;
  fixes: Fix[];
}

export interface Finding extends Detection {
  ruleId: string;
  severity: Severity;
}
