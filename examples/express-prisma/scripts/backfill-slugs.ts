// One-off maintenance script (not a request path): pages through all posts in batches.
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

async function main() {
  for (let batch = 0; ; batch++) {
    const posts = await prisma.post.findMany({ where: { slug: null }, orderBy: { id: 'asc' }, skip: batch * 500, take: 500 });
    if (posts.length === 0) break;
    for (const post of posts) {
      await prisma.post.update({ where: { id: post.id }, data: { slug: post.title.toLowerCase().replace(/\W+/g, '-') } });
    }
  }
}

main().finally(() => prisma.$disconnect());
