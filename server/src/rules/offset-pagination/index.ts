import type { Rule } from '../../engine/rule';
import { detectPython } from './python';
import { detectSql } from './sql';
import { detectTypescript } from './typescript';

export const offsetPagination: Rule = {
  meta: {
    id: 'offset-pagination',
    description: 'Pagination with an offset that grows with the page: the database reads and discards every skipped row.',
    defaultSeverity: 'warning',
    languages: ['typescript', 'python', 'sql'],
    libraries: ['Prisma', 'TypeORM', 'Sequelize', 'Knex', 'Drizzle', 'Kysely', 'Mongoose', 'MikroORM', 'Django', 'SQLAlchemy', 'Peewee', 'SQLModel', 'SQL'],
    fix: 'unsafe',
  },
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
    sql: detectSql,
  },
};
