import type { RuleMeta } from '../../engine/rule';

export const offsetPaginationMeta: RuleMeta = {
  id: 'offset-pagination',
  description: 'Pagination with an offset that grows with the page: the database reads and discards every skipped row.',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python', 'sql'],
  libraries: ['Prisma', 'TypeORM', 'Sequelize', 'Knex', 'Drizzle', 'Kysely', 'Mongoose', 'MikroORM', 'Django', 'SQLAlchemy', 'Peewee', 'SQLModel', 'SQL'],
  fix: 'unsafe',
};
