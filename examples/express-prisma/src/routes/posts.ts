import { Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { prisma } from '../db';
import { commentsPage } from '../services/comments';
import { renderMarkdown } from '../services/markdown';

export const postsRouter = Router();

const PAGE_SIZE = 20;

// GET /posts?page=3 — the classic page-number list.
postsRouter.get('/', async (req, res) => {
  const page = Math.max(1, Number(req.query.page ?? 1));
  const posts = await prisma.post.findMany({
    where: { published: true },
    orderBy: { createdAt: 'desc' },
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
  });
  // One query per post for its author (N+1).
  for (const post of posts) {
    const author = await prisma.user.findUnique({ where: { id: post.authorId } });
    Object.assign(post, { authorName: author?.name });
  }
  res.json(posts);
});

// GET /posts/feed?after=123 — keyset pagination: not a finding.
postsRouter.get('/feed', async (req, res) => {
  const after = req.query.after ? Number(req.query.after) : undefined;
  const posts = await prisma.post.findMany({
    where: { published: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    take: PAGE_SIZE,
    include: { author: true },
  });
  res.json(posts);
});

// GET /posts/latest — a constant offset: not a finding.
postsRouter.get('/latest', async (_req, res) => {
  res.json(await prisma.post.findMany({ orderBy: { id: 'desc' }, skip: 0, take: 5 }));
});

// GET /posts/search?q=…&offset=… — raw SQL with an offset from the query string.
postsRouter.get('/search', async (req, res) => {
  const offset = Number(req.query.offset ?? 0);
  const q = String(req.query.q ?? '');
  const rows = await prisma.$queryRaw`
    SELECT id, title FROM "Post"
    WHERE title ILIKE ${'%' + q + '%'}
    ORDER BY "createdAt" DESC
    LIMIT 20 OFFSET ${offset}
  `;
  res.json(rows);
});

// GET /posts/:id/comments?offset=100
postsRouter.get('/:id/comments', async (req, res) => {
  res.json(await commentsPage(Number(req.params.id), Number(req.query.offset ?? 0)));
});

// GET /posts/:id/body — reads the template from disk on every request, blocking the event loop.
postsRouter.get('/:id/body', async (req, res) => {
  const template = fs.readFileSync(path.join(__dirname, '../../templates/post.html'), 'utf8');
  const post = await prisma.post.findUniqueOrThrow({ where: { id: Number(req.params.id) } });
  res.send(template.replace('{{body}}', renderMarkdown(post.body)));
});

// GET /posts/drafts — every draft there is, in one response: nothing bounds it (unbounded-result-set).
postsRouter.get('/drafts', async (_req, res) => {
  res.json(await prisma.post.findMany({ where: { published: false }, orderBy: { id: 'desc' } }));
});
