import type { Rule } from '../../engine/rule';
import { detectPython } from './python';
import { detectTypescript } from './typescript';

export const blockingCallInHandler: Rule = {
  meta: {
    id: 'blocking-call-in-handler',
    description: 'A request handler blocks the event loop (synchronous I/O, CPU-heavy sync crypto, sleeps) or waits on a third party (email, SMS, push).',
    defaultSeverity: 'warning',
    languages: ['typescript', 'python'],
    libraries: ['Express', 'Fastify', 'Koa', 'Hono', 'NestJS', 'Next.js', 'tRPC', 'GraphQL', 'Django', 'DRF', 'Flask', 'FastAPI', 'Starlette', 'aiohttp'],
    fix: 'unsafe',
  },
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
  },
};
