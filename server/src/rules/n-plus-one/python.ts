/** n-plus-one in Python: Django, SQLAlchemy/SQLModel and Peewee queries run once per item of a loop. */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { PyFacts } from '../../languages/python/adapter';
import { isPerItemQuery, perItemMessage } from './message';

export const detectPython: Detector<PyFacts> = (facts) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    if (!isPerItemQuery(q)) continue;
    out.push({ start: q.start, end: q.end, message: perItemMessage(q), fixes: [] });
  }
  return out;
};
