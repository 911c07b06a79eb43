/**
 * Loads tree-sitter's WASM runtime and the Python grammar once per process. `Parser.init` replaces
 * the runtime module, which would invalidate every parser and tree made before it, so the linting
 * adapter and the schema loader share this one load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;
/** The runtime's module object (Emscripten fills in the options it is given): its memory views. */
let runtime: Runtime | undefined;

interface Runtime {
  HEAP32?: Int32Array;
  HEAPU32?: Uint32Array;
  getValue?: (ptr: number, type?: string) => number;
  setValue?: (ptr: number, value: number, type?: string) => void;
}

/**
 * web-tree-sitter moves every node in and out of WASM memory through the runtime's
 * `getValue`/`setValue`, which look the type up by name and read through a DataView (four to six
 * calls per node, on every child list and every property read): the 32-bit case, all that nodes
 * use, becomes a read of the runtime's Int32Array (the same little-endian bytes on a little-endian
 * host; the array is replaced when the memory grows, so it is looked up on each call).
 */
function fastIntAccess(module: Runtime): void {
  const { getValue, setValue } = module;
  if (!getValue || !setValue || new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return;
  module.getValue = (ptr, type) => (type === 'i32' ? module.HEAP32![ptr >> 2] : getValue(ptr, type));
  module.setValue = (ptr, value, type) => {
    if (type === 'i32') module.HEAP32![ptr >> 2] = value;
    else setValue(ptr, value, type);
  };
}

/**
 * `assetDir` is where the bundled `.wasm` files sit; without it they come from beside this module
 * when it is a bundle, else from node_modules.
 */
export function loadPythonLanguage(assetDir?: string): Promise<Language> {
  return (loading ??= (async () => {
    const dir = assetDir ?? (fs.existsSync(path.join(__dirname, 'tree-sitter-python.wasm')) ? __dirname : undefined);
    const runtimeDir = dir ?? path.dirname(require.resolve('web-tree-sitter'));
    const grammar = dir ? path.join(dir, 'tree-sitter-python.wasm') : path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
    const options: Runtime & { locateFile(name: string): string } = { locateFile: (name: string) => path.join(runtimeDir, name) };
    await Parser.init(options);
    if (options.HEAP32) fastIntAccess(options);
    runtime = options;
    // The bytes, not the path: for a path web-tree-sitter reads the file with import('fs/promises').
    return Language.load(fs.readFileSync(grammar));
  })());
}

/** A parser of its own (parsers keep state between parses) for the shared grammar. */
export async function createPythonParser(assetDir?: string): Promise<Parser> {
  const language = await loadPythonLanguage(assetDir);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * Whether two nodes are the same subtree: a node's id is the address of its slot in its parent's
 * child array, and the slot holds the subtree (a pointer to it, or a small leaf inline, 8 bytes).
 * Both trees must be alive. Read from the runtime's memory: web-tree-sitter has no call for it.
 */
export function sameSubtree(a: { id: number }, b: { id: number }): boolean {
  const heap = runtime?.HEAPU32;
  if (!heap) return false;
  const i = a.id >>> 2;
  const j = b.id >>> 2;
  return heap[i] === heap[j] && heap[i + 1] === heap[j + 1];
}
