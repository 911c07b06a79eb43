import { prisma } from '../db';

/** A page of a post's comments, oldest first. */
export async function commentsPage(postId: number, offset: number, limit = 50) {
  return prisma.comment.findMany({
    where: { postId },
    orderBy: { createdAt: 'asc' },
    skip: offset,
    take: limit,
  });
}
