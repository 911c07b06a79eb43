import type { RuleMeta } from '../../engine/rule';

export const unboundedResultSetMeta: RuleMeta = {
  id: 'unbounded-result-set',
  description: 'A request handler reads every row of a table (no limit, no filter from the request): the response, the query and memory grow with the table.',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python'],
  libraries: ['Prisma', 'TypeORM', 'Sequelize', 'MikroORM', 'Mongoose', 'Drizzle', 'Kysely', 'Knex', 'Django', 'SQLAlchemy', 'SQLModel', 'Peewee'],
  fix: 'unsafe',
};
