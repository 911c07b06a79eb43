/** Starts the engine's warm-up (../warm-up.ts) once the client is ready, in the editor's idle time. */
import type { ServerContext } from '../context';
import { pathToUri } from '../uri';
import { warmUp } from '../warm-up';

/**
 * A step runs only when no document was analysed for this long: while the user types, the real
 * analyses warm the engine up themselves and the warm-up waits.
 */
const QUIET_MS = 300;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the warm-up, once the workspace is indexed: of the languages the workspace has (all of
 * them without a workspace or files), and none when PerfLens is turned off for it. The function
 * returned stops it (at shutdown).
 */
export function startWarmUp(ctx: ServerContext): () => void {
  let stopped = false;
  const idle = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    for (let quiet = performance.now() - ctx.analyzer.lastAnalysisAt; !stopped && quiet < QUIET_MS; quiet = performance.now() - ctx.analyzer.lastAnalysisAt) {
      await sleep(QUIET_MS - quiet);
    }
  };
  const start = async () => {
    if (ctx.root && !(await ctx.settings.forDocument(pathToUri(ctx.root))).enable) return undefined;
    const languages = ctx.index.languages();
    return warmUp(ctx.engine, { idle, cancelled: () => stopped, languages: languages.size > 0 ? languages : undefined });
  };
  start()
    .then((r) => {
      if (!r || r.cancelled) return;
      ctx.log(`warm-up: ${r.analyses} analyses of built-in ${r.languages.join(' and ')} samples in ${Math.round(r.ms)} ms`);
    })
    .catch((e: Error) => ctx.log(`warm-up failed: ${e.message}`));
  return () => {
    stopped = true;
  };
}
