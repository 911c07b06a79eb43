/** Where the CLI (and a client that gives no storage folder) caches embedded databases. */
import * as os from 'node:os';
import * as path from 'node:path';

/** PERFLENS_CACHE_DIR, else the user's cache folder (XDG_CACHE_HOME or ~/.cache) + `perflens`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PERFLENS_CACHE_DIR) return env.PERFLENS_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'perflens');
}
