import type { RuleMeta } from '../../engine/rule';

export const unindexedFilterMeta: RuleMeta = {
  id: 'unindexed-filter',
  description: 'A query filters a table by fields no index starts with: the database reads every row to find the matches, and the time grows with the table.',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python'],
  libraries: ['Prisma', 'TypeORM', 'MikroORM', 'Sequelize', 'Drizzle', 'Mongoose', 'Django', 'SQLAlchemy', 'SQLModel', 'Peewee'],
  fix: 'unsafe',
};
