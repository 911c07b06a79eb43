import { ruleTests } from '../harness/rule-tester';

const ENTITY = `import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

@Entity()
@Index({ properties: ['tenant', 'createdAt'] })
export class Author {
  @PrimaryKey()
  id!: number;

  @Property()
  email!: string;

  @Property({ unique: true })
  handle!: string;

  @Index()
  @Property()
  city!: string;

  @Property()
  tenant!: number;

  @Property()
  name!: string;

  @Property()
  active: boolean = true;

  @Enum(() => Role)
  role!: Role;

  @Property()
  createdAt = new Date();
}

export enum Role { Admin = 'admin', User = 'user' }
`;
const workspace = { 'src/entities/author.ts': ENTITY };
const HEAD = "import { EntityManager } from '@mikro-orm/postgresql';\nimport { Author } from './entities/author';\n\n";

ruleTests('unindexed-filter', {
  valid: [
    {
      name: '@PrimaryKey, unique, @Index() on the property, the first of a class @Index',
      file: 'src/authors.ts',
      code: `${HEAD}export async function read(em: EntityManager, id: number, handle: string, city: string, tenant: number) {\n  await em.findOne(Author, { id });\n  await em.findOne(Author, { handle });\n  await em.find(Author, { city }, { limit: 10 });\n  return em.count(Author, { tenant, name: 'x' });\n}\n`,
      why: 'each has an index that starts with it',
      workspace,
    },
    {
      name: 'a boolean, an enum, $or, $like, a relation filter',
      file: 'src/authors.ts',
      code: `${HEAD}export async function read(em: EntityManager, q: string) {\n  await em.find(Author, { active: true, role: Role.Admin });\n  await em.find(Author, { $or: [{ email: q }, { name: q }] });\n  await em.find(Author, { name: { $like: q } });\n  return em.find(Author, { email: q, books: { title: q } });\n}\nimport { Role } from './entities/author';\n`,
      why: 'few values; conditions not read here; no plain index serves LIKE',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'an EntityManager lookup by a plain property: @Index() added, imported from the package the entity uses',
      file: 'src/authors.ts',
      code: `${HEAD}export const byEmail = (em: EntityManager, email: string) => em.findOne(Author, { email });\n`,
      findings: [{ line: 4, message: /`em\.findOne` filters Author by `email`, and no index of Author starts with it.*Add `@Index\(\)` to `Author\.email` in author\.ts, then create its migration \(`mikro-orm migration:create`\)\./ }],
      otherFile: { path: 'src/entities/author.ts', text: ENTITY.replace('  @Property()\n  email!: string;', '  @Property()\n  @Index()\n  email!: string;') },
      workspace,
    },
    {
      name: 'equality then a range ($gte), a native update',
      file: 'src/authors.ts',
      code: `${HEAD}export async function run(em: EntityManager, name: string, since: Date) {\n  await em.find(Author, { createdAt: { $gte: since }, name });\n  await em.nativeUpdate(Author, { email: name }, { active: false });\n}\n`,
      findings: [{ line: 5, message: /filters Author by `createdAt`, `name`.*or `@Index\(\{ properties: \['name', 'createdAt'\] \}\)` on the class/ }, { line: 6, message: /filters Author by `email`/ }],
      otherFile: { path: 'src/entities/author.ts', text: ENTITY.replace('  @Property()\n  name!: string;', '  @Property()\n  @Index()\n  name!: string;') },
      workspace,
    },
  ],
});
