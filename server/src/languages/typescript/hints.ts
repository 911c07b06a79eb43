/**
 * Text tests that say a JS/TS file is worth parsing for something, kept apart from the fact
 * builders: the CLI's model pass tests files with them without loading TypeScript.
 */

/** Calls of Knex, Kysely or Sequelize migration builders, making tables or dropping them (schema-builders.ts). */
export const SCHEMA_BUILDER_HINT = /\b(createTable|alterTable|createIndex|addIndex|dropIndex|removeIndex|addColumn|addConstraint|dropTable|dropTableIfExists|removeColumn|removeConstraint)\s*\(|\.schema\s*\.\s*table\s*\(/;
