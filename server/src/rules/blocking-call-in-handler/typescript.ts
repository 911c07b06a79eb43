/** blocking-call-in-handler in JS/TS: synchronous Node APIs and third-party sends on request paths. */
import type { Detection, Fix } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import { importedBlocking } from '../request-path';
import { blockingMessage } from './message';
import { asyncFix, backgroundSendFix } from './typescript-fixes';

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const b of facts.blockingCalls ?? []) {
    let fixes: Fix[] = [];
    if (b.kind === 'event-loop') {
      const fix = facts.sourceFile ? asyncFix(b, facts.sourceFile) : undefined;
      if (fix) fixes = [fix];
    } else {
      const background = facts.sourceFile ? backgroundSendFix(b, facts.sourceFile) : undefined;
      fixes = [...(background ? [background] : []), { title: 'Move the send to a background job (BullMQ, a queue worker)', applicability: 'display-only', edits: [] }];
    }
    out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes });
  }
  for (const b of importedBlocking(facts, ctx)) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: [] });
  return out;
};
