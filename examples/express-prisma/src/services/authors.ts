import { prisma } from '../db';

/** One author with their post count, for author cards. */
export async function loadAuthorCard(id: number) {
  return prisma.user.findUnique({ where: { id }, select: { id: true, name: true, _count: { select: { posts: true } } } });
}
