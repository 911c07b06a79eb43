import { fixtureTests, ruleTests } from '../harness/rule-tester';

const HEAD = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Status {
  DRAFT
  PUBLISHED
}

model User {
  id        Int      @id @default(autoincrement())
  email     String
  handle    String   @unique
  name      String?
  tenantId  Int
  active    Boolean  @default(true)
  createdAt DateTime @default(now())
  posts     Post[]

  @@index([tenantId, name])
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  slug     String
  status   Status
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
`;
const workspace = { 'prisma/schema.prisma': SCHEMA };
const withIndex = (line: string) => SCHEMA.replace('  @@index([tenantId, name])\n', `  @@index([tenantId, name])\n  ${line}\n`);

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'a filter by a unique field',
      file: 'src/users.ts',
      code: `${HEAD}export const byHandle = (handle: string) => prisma.user.findFirst({ where: { handle } });\n`,
      why: '@unique makes an index on handle',
      workspace,
    },
    {
      name: 'a filter by the leading field of a composite index, with another field',
      file: 'src/users.ts',
      code: `${HEAD}export const team = (tenantId: number, email: string) => prisma.user.findMany({ where: { tenantId, email } });\n`,
      why: '@@index([tenantId, name]) serves tenantId, the rows to check for email are that tenant\'s',
      workspace,
    },
    {
      name: 'findUnique and update name a unique field by contract',
      file: 'src/users.ts',
      code: `${HEAD}export const one = (id: number) => prisma.user.findUnique({ where: { id } });\nexport const rename = (id: number, name: string) => prisma.user.update({ where: { id }, data: { name } });\n`,
      why: 'Prisma rejects a where of findUnique/update that is not unique',
      workspace,
    },
    {
      name: 'a boolean and an enum only',
      file: 'src/users.ts',
      code: `${HEAD}export const active = () => prisma.user.count({ where: { active: true } });\nexport const drafts = () => prisma.post.findMany({ where: { status: 'DRAFT' }, take: 10 });\n`,
      why: 'few distinct values: an index on them alone rarely narrows the read',
      workspace,
    },
    {
      name: 'a foreign key',
      file: 'src/posts.ts',
      code: `${HEAD}export const byAuthor = (authorId: number) => prisma.post.findMany({ where: { authorId } });\n`,
      why: 'an unindexed foreign key is reported where it is declared (unindexed-foreign-key)',
      workspace,
    },
    {
      name: 'contains, case-insensitive and null matches',
      file: 'src/users.ts',
      code: `${HEAD}export const search = (q: string) => prisma.user.findMany({ where: { name: { contains: q, mode: 'insensitive' } }, take: 20 });\nexport const unnamed = () => prisma.user.findMany({ where: { name: null }, take: 20 });\n`,
      why: 'no plain B-tree index serves these',
      workspace,
    },
    {
      name: 'OR, a relation filter, a spread',
      file: 'src/users.ts',
      code: `${HEAD}export const a = (q: string) => prisma.user.findMany({ where: { OR: [{ email: q }, { handle: q }] } });\nexport const b = (id: number, email: string) => prisma.user.findFirst({ where: { email, posts: { some: { id } } } });\nexport const c = (w: object, email: string) => prisma.user.findFirst({ where: { ...w, email } });\n`,
      why: 'conditions not read here might be the selective, indexed ones',
      workspace,
    },
    {
      name: 'a where object in a const that is also changed or passed elsewhere',
      file: 'src/users.ts',
      code: `${HEAD}export async function search(email: string, tenantId?: number) {\n  const where: Record<string, unknown> = { email };\n  if (tenantId) where.tenantId = tenantId;\n  return prisma.user.findMany({ where, take: 20 });\n}\nexport async function other(email: string) {\n  const where = { email };\n  log(where);\n  return prisma.user.findMany({ where, take: 20 });\n}\ndeclare function log(x: unknown): void;\n`,
      why: 'the object may hold conditions not written where it is made (tenantId is indexed)',
      workspace,
    },
    {
      name: 'no schema in the workspace',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => prisma.user.findFirst({ where: { email } });\n`,
      why: 'the indexes are not known',
    },
    {
      name: 'a model the schema does not declare',
      file: 'src/users.ts',
      code: `${HEAD}export const byCode = (code: string) => prisma.country.findFirst({ where: { code } });\n`,
      why: 'no model Country in the schema',
      workspace,
    },
    {
      name: 'an array\'s find',
      file: 'src/users.ts',
      code: `const users = [{ email: 'a' }];\nexport const byEmail = (email: string) => users.find((u) => u.email === email);\n`,
      why: 'in memory, not a query',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'findFirst by a plain field',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => prisma.user.findFirst({ where: { email } });\n`,
      findings: [{ line: 3, message: /`prisma\.user\.findFirst` filters User by `email`, and no index of User starts with it: the database reads every row of User.*Add `@@index\(\[email\]\)` to model User in schema\.prisma, then create its migration \(`prisma migrate dev`\)\./ }],
      otherFile: { path: 'prisma/schema.prisma', text: withIndex('@@index([email])') },
      workspace,
    },
    {
      name: 'a where object held in a const the query alone uses',
      file: 'src/users.ts',
      code: `${HEAD}export async function byEmail(email: string) {\n  const where = { email };\n  return prisma.user.findFirst({ where });\n}\n`,
      findings: [{ line: 4, message: /`prisma\.user\.findFirst` filters User by `email`/ }],
      otherFile: { path: 'prisma/schema.prisma', text: withIndex('@@index([email])') },
      workspace,
    },
    {
      name: 'equality then a range: one composite index, equality first; an enum beside them',
      file: 'src/posts.ts',
      code: `${HEAD}export async function recent(slug: string, since: Date) {\n  return prisma.post.findMany({\n    where: { createdAt: undefined, status: 'PUBLISHED', slug },\n    take: 20,\n  });\n}\nexport const count = (email: string, since: Date) => prisma.user.count({ where: { createdAt: { gte: since }, email } });\n`,
      findings: [{ line: 9, message: /filters User by `createdAt`, `email`, and no index of User starts with any of them.*`@@index\(\[email, createdAt\]\)`/ }],
      otherFile: { path: 'prisma/schema.prisma', text: withIndex('@@index([email, createdAt])') },
      workspace,
    },
    {
      name: 'updateMany and deleteMany scan the same way; the where is written over lines',
      file: 'src/posts.ts',
      code: `${HEAD}export async function retitle(slug: string, title: string) {\n  await prisma.post.updateMany({\n    where: {\n      slug,\n    },\n    data: { title },\n  });\n  await prisma.post.deleteMany({ where: { slug: { in: [slug] } } });\n}\n`,
      findings: [{ line: 6, message: /filters Post by `slug`/ }, { line: 10 }],
      otherFile: { path: 'prisma/schema.prisma', text: SCHEMA.replace('  author   User   @relation(fields: [authorId], references: [id])\n', '  author   User   @relation(fields: [authorId], references: [id])\n\n  @@index([slug])\n') },
      workspace,
    },
  ],
});

// One-file apps: the model declared beside its queries (fixes edit the file itself).
fixtureTests('unindexed-filter', 'test/rules/unindexed-filter/fixtures');
