import { ruleTests } from '../harness/rule-tester';

const DATASOURCE = (provider: string, extra = '') => `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")${extra}\n}\n\n`;
const USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  posts Post[]\n}\n\n';

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'an @@index on the relation field',
      file: 'schema.prisma',
      code: `${DATASOURCE('postgresql')}${USER}model Post {\n  id       Int  @id @default(autoincrement())\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}\n`,
      why: 'the index serves the lookups and the delete checks',
    },
    {
      name: 'a composite @@unique that starts with it, and a one-to-one @unique',
      file: 'schema.prisma',
      code: `${DATASOURCE('postgresql')}${USER}model Post {\n  id       Int  @id\n  slug     String\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@unique([authorId, slug])\n}\n\nmodel Profile {\n  id     Int  @id\n  userId Int  @unique\n  user   User @relation(fields: [userId], references: [id])\n}\n`,
      why: 'unique constraints are indexes',
    },
    {
      name: 'the first field of a join model\'s @@id',
      file: 'schema.prisma',
      code: `${DATASOURCE('sqlite')}${USER}model Tag {\n  id Int @id\n}\n\nmodel PostTag {\n  postId Int\n  tagId  Int\n  post   Post @relation(fields: [postId], references: [id])\n  tag    Tag  @relation(fields: [tagId], references: [id])\n\n  @@id([postId, tagId])\n  @@index([tagId])\n}\n`,
      why: '@@id serves postId, the @@index tagId',
    },
    {
      name: 'block attributes with a name before their fields',
      file: 'schema.prisma',
      code: `${DATASOURCE('postgresql')}${USER}model Tag {\n  id Int @id\n}\n\nmodel PostTag {\n  postId Int\n  tagId  Int\n  post   Post @relation(fields: [postId], references: [id])\n  tag    Tag  @relation(fields: [tagId], references: [id])\n\n  @@id(name: "post_tag_pk", fields: [postId, tagId])\n  @@index(map: "post_tags_tag", fields: [tagId])\n}\n`,
      why: '@@id serves postId, the @@index tagId',
    },
    {
      name: 'MySQL with foreign keys',
      file: 'schema.prisma',
      code: `${DATASOURCE('mysql')}${USER}model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n`,
      why: 'InnoDB indexes every foreign key on its own',
    },
    {
      name: 'MongoDB',
      file: 'schema.prisma',
      code: `${DATASOURCE('mongodb')}model User {\n  id    String @id @map("_id") @db.ObjectId\n  posts Post[]\n}\n\nmodel Post {\n  id       String @id @map("_id") @db.ObjectId\n  authorId String @db.ObjectId\n  author   User   @relation(fields: [authorId], references: [id])\n}\n`,
      why: 'no foreign keys: not what this rule is about',
    },
  ],
  invalid: [
    {
      name: 'PostgreSQL: the fix adds @@index after the fields, a blank line between',
      file: 'schema.prisma',
      code: `${DATASOURCE('postgresql')}${USER}model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id]) // who wrote it\n}\n`,
      findings: [{ line: 15, message: /^`Post\.authorId` \(the `author` relation to User\) has no index\. Prisma creates the foreign key, not an index for it, and PostgreSQL does not index foreign keys on its own\. .* Add `@@index\(\[authorId\]\)` to model Post\.$/ }],
      output: `${DATASOURCE('postgresql')}${USER}model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id]) // who wrote it\n\n  @@index([authorId])\n}\n`,
    },
    {
      name: 'an index that does not start with it does not count; the new one joins the block attributes',
      file: 'schema.prisma',
      code: `${DATASOURCE('postgresql')}${USER}model Post {\n  id        Int      @id\n  createdAt DateTime\n  authorId  Int\n  author    User     @relation(fields: [authorId], references: [id])\n\n  @@index([createdAt, authorId])\n}\n`,
      findings: [{ line: 15 }],
      output: `${DATASOURCE('postgresql')}${USER}model Post {\n  id        Int      @id\n  createdAt DateTime\n  authorId  Int\n  author    User     @relation(fields: [authorId], references: [id])\n\n  @@index([createdAt, authorId])\n  @@index([authorId])\n}\n`,
    },
    {
      name: 'MySQL with relationMode = "prisma": no foreign key, no index',
      file: 'schema.prisma',
      code: `${DATASOURCE('mysql', '\n  relationMode = "prisma"')}${USER}model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n`,
      findings: [{ line: 15, message: /With `relationMode = "prisma"` there is no foreign key and no index/ }],
      output: `${DATASOURCE('mysql', '\n  relationMode = "prisma"')}${USER}model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}\n`,
    },
    {
      name: 'a two-field relation, tab-indented',
      file: 'schema.prisma',
      code: `${DATASOURCE('postgresql')}model Order {\n\tshopId Int\n\tid     Int\n\tlines  Line[]\n\n\t@@id([shopId, id])\n}\n\nmodel Line {\n\tid      Int   @id\n\tshopId  Int\n\torderId Int\n\torder   Order @relation(fields: [shopId, orderId], references: [shopId, id])\n}\n`,
      findings: [{ line: 18, message: /`Line\.\(shopId, orderId\)`/ }],
      output: `${DATASOURCE('postgresql')}model Order {\n\tshopId Int\n\tid     Int\n\tlines  Line[]\n\n\t@@id([shopId, id])\n}\n\nmodel Line {\n\tid      Int   @id\n\tshopId  Int\n\torderId Int\n\torder   Order @relation(fields: [shopId, orderId], references: [shopId, id])\n\n\t@@index([shopId, orderId])\n}\n`,
    },
  ],
});
