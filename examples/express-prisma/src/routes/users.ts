import { Router } from 'express';
import axios from 'axios';
import { LRUCache } from 'lru-cache';
import { prisma } from '../db';
import { loadAuthorCard } from '../services/authors';

export const usersRouter = Router();

// Grows with every distinct email ever looked up, and is never evicted.
const gravatarCache = new Map<string, string>();

// Bounded: at most 1,000 entries, each for 10 minutes.
const profileCache = new LRUCache<number, object>({ max: 1000, ttl: 10 * 60 * 1000 });

// GET /users/search?name=Ada — no index of User starts with name: each search reads every user.
usersRouter.get('/search', async (req, res) => {
  const name = String(req.query.name ?? '');
  res.json(await prisma.user.findMany({ where: { name }, orderBy: { id: 'asc' }, take: 20 }));
});

usersRouter.get('/:id', async (req, res) => {
  const id = Number(req.params.id);
  const cached = profileCache.get(id);
  if (cached) return res.json(cached);
  const user = await prisma.user.findUniqueOrThrow({ where: { id }, include: { posts: { take: 5 } } });
  let avatar = gravatarCache.get(user.email);
  if (!avatar) {
    // No timeout: a slow avatar service holds this request open indefinitely.
    const { data } = await axios.get(`https://avatars.example.com/lookup?email=${encodeURIComponent(user.email)}`);
    avatar = data.url as string;
    gravatarCache.set(user.email, avatar);
  }
  const profile = { ...user, avatar };
  profileCache.set(id, profile);
  res.json(profile);
});

// GET /users?page=2 — offset from the page number.
usersRouter.get('/', async (req, res) => {
  const page = Number(req.query.page) || 1;
  const users = await prisma.user.findMany({ orderBy: { name: 'asc' }, skip: (page - 1) * 50, take: 50 });
  res.json(users);
});

// GET /users/cards?ids=1,2,3 — one query per id, hidden behind a helper in another file (N+1).
usersRouter.get('/cards', async (req, res) => {
  const ids = String(req.query.ids ?? '').split(',').map(Number).filter(Boolean);
  const cards = [];
  for (const id of ids) cards.push(await loadAuthorCard(id));
  res.json(cards);
});
