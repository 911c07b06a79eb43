import type { RuleMeta } from '../../engine/rule';

export const nPlusOneMeta: RuleMeta = {
  id: 'n-plus-one',
  description: 'A query runs once per item of a loop: N round trips where one query would do.',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python'],
  libraries: ['Prisma', 'TypeORM', 'Sequelize', 'Knex', 'Drizzle', 'Kysely', 'Mongoose', 'MikroORM', 'Django', 'SQLAlchemy', 'SQLModel', 'Peewee'],
  fix: 'unsafe',
};
