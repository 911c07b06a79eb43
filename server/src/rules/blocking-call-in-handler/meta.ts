import type { RuleMeta } from '../../engine/rule';

export const blockingCallInHandlerMeta: RuleMeta = {
  id: 'blocking-call-in-handler',
  description: 'A request handler blocks the event loop (synchronous I/O, CPU-heavy sync crypto, sleeps) or waits on a third party (email, SMS, push).',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python'],
  libraries: ['Express', 'Fastify', 'Koa', 'Hono', 'NestJS', 'Next.js', 'tRPC', 'GraphQL', 'Django', 'DRF', 'Flask', 'FastAPI', 'Starlette', 'aiohttp'],
  fix: 'unsafe',
};
