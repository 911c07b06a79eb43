/**
 * Loads a CommonJS file (the 14 MB lint-worker bundle) with V8's code cache: the code V8 compiled
 * for it in an earlier run, kept on disk, instead of compiling it again in each worker. Loading
 * the bundle and compiling what a first file needs was about 0.4 s per worker; with the cache,
 * about 0.15 s. Node 22 has `module.enableCompileCache` for this; Node 20 does not, so the CLI does
 * it itself with `vm.Script`'s `cachedData`.
 *
 * The cache is only compiled code of PerfLens's own files, never results: it does not change what
 * a run finds, and V8 refuses (and the next exit rewrites) a cache made by another V8 version, with
 * other flags or for another text. A cache folder that cannot be read or written costs the
 * compilation, nothing else.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The file that exports requireWithCodeCache (the CLI bundle, or this module from sources): what a worker requires first. */
export const CODE_CACHE_LOADER = __filename;

/** One file per (bundle, Node, platform): a rebuilt bundle gets a new name, and the old one is left for the cleanup below. */
function cacheFile(file: string, dir: string): string {
  const stat = fs.statSync(file);
  const key = createHash('sha256').update(`${file}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  return path.join(dir, `${path.basename(file, '.js')}-${key}.v8`);
}

/**
 * The file is the SHA-256 of the data, then the data. V8 checks that a cache is for this V8, these
 * flags and this source, but not every byte of it: a file damaged on disk is refused here instead.
 */
const DIGEST = 32;

function readCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= DIGEST) return undefined;
  const data = bytes.subarray(DIGEST);
  return createHash('sha256').update(data).digest().equals(bytes.subarray(0, DIGEST)) ? data : undefined;
}

/**
 * `require(file)`, compiled from the cache in `dir` when it holds one. When it did not (or V8
 * refused it), the code compiled by then is written when the thread exits (`process.exit` in a
 * worker, the end of the process on the main thread): by then it holds the functions the run used,
 * not just the top level.
 */
export function requireWithCodeCache(file: string, dir: string | undefined): unknown {
  // A module loaded this way may import Node's modules with import(): the script needs Node's own
  // loader for that, which vm offers from Node 20.12 on; before that, no code cache.
  const loader = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: unknown } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!dir || !loader) return require(file);
  let target: string;
  let source: string;
  try {
    target = cacheFile(file, dir);
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return require(file);
  }
  const cachedData = readCache(target);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: loader as unknown as vm.ScriptOptions['importModuleDynamically'] });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  // Later `require(file)` calls get this instance, as if Node had loaded it.
  (require.cache as Record<string, unknown>)[file] = mod;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(script, target));
  return mod.exports;
}

function writeCache(script: vm.Script, target: string): void {
  // Another worker may write the same file at the same time: each writes its own and renames.
  const tmp = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const data = script.createCachedData();
    fs.writeFileSync(tmp, Buffer.concat([createHash('sha256').update(data).digest(), data]));
    fs.renameSync(tmp, target);
    // Caches of earlier builds are never read again; another install's, in use, is touched at
    // each of its runs that made it: what no run has written for a week goes.
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    for (const name of fs.readdirSync(path.dirname(target))) {
      const other = path.join(path.dirname(target), name);
      if (name.endsWith('.v8') && other !== target && fs.statSync(other).mtimeMs < weekAgo) fs.rmSync(other, { force: true });
    }
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
