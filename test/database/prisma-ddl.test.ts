import * as assert from 'node:assert/strict';
import { prismaToDdl } from '../../server/src/database/schema/prisma-ddl';

describe('database: schema.prisma → PostgreSQL DDL', () => {
  it('models, scalar types, ids, defaults, unique, indexes, enums, maps, relations and implicit many-to-many', () => {
    const schema = `
      // A comment, and a doc comment on a model.
      generator client { provider = "prisma-client-js" }
      datasource db { provider = "postgresql" url = env("DATABASE_URL") }

      enum Role {
        USER
        ADMIN @map("admin")
      }

      /// People who write.
      model User {
        id        BigInt   @id @default(autoincrement())
        email     String   @unique @db.VarChar(255)
        role      Role     @default(USER)
        nickname  String?  @default("anon") @map("nick_name")
        balance   Decimal
        settings  Json
        createdAt DateTime @default(now())
        posts     Post[]
        profile   Profile?

        @@map("users")
      }

      model Profile {
        id     Int    @id @default(autoincrement())
        user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)
        userId BigInt @unique
      }

      model Post {
        id        Int      @id @default(autoincrement())
        title     String
        score     Float    @default(0)
        author    User?    @relation(fields: [authorId], references: [id])
        authorId  BigInt?
        tags      Tag[]
        createdAt DateTime @default(now())

        @@index([createdAt(sort: Desc), id])
        @@unique([authorId, title])
      }

      model Tag {
        name  String @id
        posts Post[]
      }
    `;
    assert.equal(
      prismaToDdl(schema),
      `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'admin');

-- CreateTable
CREATE TABLE "users" (
    "id" BIGSERIAL NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "nick_name" TEXT DEFAULT 'anon',
    "balance" DECIMAL(65,30) NOT NULL,
    "settings" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Profile" (
    "id" SERIAL NOT NULL,
    "userId" BIGINT NOT NULL,

    CONSTRAINT "Profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "authorId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "name" TEXT NOT NULL,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "_PostToTag" (
    "A" INTEGER NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Profile_userId_key" ON "Profile"("userId");

-- CreateIndex
CREATE INDEX "Post_createdAt_id_idx" ON "Post"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Post_authorId_title_key" ON "Post"("authorId", "title");

-- CreateIndex
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");

-- AddForeignKey
ALTER TABLE "Profile" ADD CONSTRAINT "Profile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("name") ON DELETE CASCADE ON UPDATE CASCADE;
`,
    );
  });

  it('ignores fields it cannot place and blocks that are not models or enums', () => {
    assert.equal(prismaToDdl('generator client {\n provider = "x"\n}\n'), '\n');
  });
});
