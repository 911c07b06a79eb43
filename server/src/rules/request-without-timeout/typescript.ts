/** request-without-timeout in JS/TS: `fetch` without a signal, axios and got without a timeout, on request paths. */
import ts from 'typescript';
import type { Detection, Edit, Fix } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import type { TsOutboundCall } from '../../languages/typescript/blocking-calls';
import { addOption } from '../../languages/typescript/edits';
import { importedUntimed } from '../request-path';
import { untimedMessage } from './message';

/** Ten seconds: long for an upstream call inside a request, short of a proxy's 30–60 s limit. */
const TIMEOUT_MS = '10_000';

function timeoutFix(c: TsOutboundCall): Fix | undefined {
  const call = c.call;
  let edits: Edit[] | undefined;
  let what: string;
  if (c.client === 'fetch') {
    what = `signal: AbortSignal.timeout(${TIMEOUT_MS})`;
    edits = addOption(call, 1, what);
  } else if (c.client === 'got') {
    what = `timeout: { request: ${TIMEOUT_MS} }`;
    edits = addOption(call, 1, what);
  } else {
    what = `timeout: ${TIMEOUT_MS}`;
    const e = call.expression;
    const method = ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
    const index = !method ? (call.arguments.length === 1 && ts.isObjectLiteralExpression(call.arguments[0]) ? 0 : 1) : method === 'request' ? 0 : /^(post|put|patch|postForm|putForm|patchForm)$/.test(method) ? 2 : 1;
    edits = addOption(call, index, what);
  }
  return edits ? { title: `Add \`${what}\``, applicability: 'unsafe', edits } : undefined;
}

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const c of facts.untimedCalls ?? []) {
    const fix = timeoutFix(c);
    out.push({ start: c.start, end: c.end, message: untimedMessage(c), fixes: fix ? [fix] : [] });
  }
  for (const c of importedUntimed(facts, ctx)) out.push({ start: c.start, end: c.end, message: untimedMessage(c), fixes: [] });
  return out;
};
