/** Small sources several suites share: each has exactly one offset-pagination finding. */

/** Express + Prisma handler; the finding is the `skip` property on line 11 (0-based line 10, column 4). */
export const PRISMA_HANDLER = `import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
export const router = express.Router();

router.get('/posts', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  const posts = await prisma.post.findMany({
    orderBy: { createdAt: 'desc' },
    skip: (page - 1) * 20,
    take: 20,
  });
  res.json(posts);
});
`;
