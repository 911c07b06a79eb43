/** Starts the engine's warm-up (../warm-up.ts) once the client is ready, in the editor's idle time. */
import type { ServerContext } from '../context';
import { warmUp } from '../warm-up';

/**
 * A step runs only when no document was analysed for this long: while the user types, the real
 * analyses warm the engine up themselves and the warm-up waits.
 */
const QUIET_MS = 300;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the warm-up; the function returned stops it (at shutdown). */
export function startWarmUp(ctx: ServerContext): () => void {
  let stopped = false;
  const idle = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    for (let quiet = performance.now() - ctx.analyzer.lastAnalysisAt; !stopped && quiet < QUIET_MS; quiet = performance.now() - ctx.analyzer.lastAnalysisAt) {
      await sleep(QUIET_MS - quiet);
    }
  };
  warmUp(ctx.engine, { idle, cancelled: () => stopped })
    .then((r) => {
      if (r.cancelled) return;
      ctx.log(`warm-up: ${r.analyses} analyses of built-in samples in ${Math.round(r.ms)} ms`);
    })
    .catch((e: Error) => ctx.log(`warm-up failed: ${e.message}`));
  return () => {
    stopped = true;
  };
}
