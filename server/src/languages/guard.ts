/**
 * A fact builder that throws on some input (a shape it did not foresee) must cost its own facts
 * only: the file keeps the others, and the failure is recorded for the engine to log.
 */
import type { FileFacts } from './facts';

export function guarded<T>(facts: FileFacts, what: string, build: () => T, fallback: T): T {
  try {
    return build();
  } catch (e) {
    (facts.failures ??= []).push(`${what}: ${(e as Error).message}`);
    return fallback;
  }
}
