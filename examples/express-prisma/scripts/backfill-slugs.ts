// Gives every post created before slugs existed a slug. Run once: `npx tsx scripts/backfill-slugs.ts [reserved.csv]`.
import { readFileSync } from 'node:fs';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// Slugs already shared in links, one `postId,slug` per line: those posts keep them.
const reserved = new Map<number, string>(
  (process.argv[2] ? readFileSync(process.argv[2], 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, slug] = line.split(',');
      return [Number(id), slug.trim()];
    }),
);

function slugify(title: string, id: number): string {
  return `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${id}`;
}

async function main() {
  // Batches by id rather than by offset: updated posts leave the `slug: null` set, so an offset would skip rows.
  let lastId = 0;
  for (;;) {
    const posts = await prisma.post.findMany({
      where: { slug: null, id: { gt: lastId } },
      orderBy: { id: 'asc' },
      select: { id: true, title: true },
      take: 500,
    });
    if (posts.length === 0) break;
    await prisma.$transaction(
      posts.map((post) =>
        prisma.post.update({ where: { id: post.id }, data: { slug: reserved.get(post.id) ?? slugify(post.title, post.id) } }),
      ),
    );
    lastId = posts[posts.length - 1].id;
    console.log(`backfilled up to post ${lastId}`);
  }
}

main().finally(() => prisma.$disconnect());
