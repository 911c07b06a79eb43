import type { RuleMeta } from '../../engine/rule';

export const unindexedForeignKeyMeta: RuleMeta = {
  id: 'unindexed-foreign-key',
  description: 'A foreign key no index starts with: deleting a parent row scans the child table, and lookups and joins by the key read all of it.',
  defaultSeverity: 'warning',
  languages: ['sql', 'prisma', 'python', 'typescript'],
  libraries: ['Prisma (schema.prisma)', 'TypeORM', 'Drizzle', 'Knex, Kysely and Sequelize migrations', 'SQLAlchemy', 'SQLModel', 'SQL (PostgreSQL, SQLite)'],
  fix: 'unsafe',
  // Schemas are written in migrations.
  schema: true,
};
