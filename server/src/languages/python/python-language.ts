/**
 * Loads tree-sitter's WASM runtime and the Python grammar once per process. `Parser.init` replaces
 * the runtime module, which would invalidate every parser and tree made before it, so the linting
 * adapter and the schema loader share this one load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;

/**
 * `assetDir` is where the bundled `.wasm` files sit; without it they come from beside this module
 * when it is a bundle, else from node_modules.
 */
export function loadPythonLanguage(assetDir?: string): Promise<Language> {
  return (loading ??= (async () => {
    const dir = assetDir ?? (fs.existsSync(path.join(__dirname, 'tree-sitter-python.wasm')) ? __dirname : undefined);
    const runtimeDir = dir ?? path.dirname(require.resolve('web-tree-sitter'));
    const grammar = dir ? path.join(dir, 'tree-sitter-python.wasm') : path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
    await Parser.init({ locateFile: (name: string) => path.join(runtimeDir, name) });
    return Language.load(grammar);
  })());
}

/** A parser of its own (parsers keep state between parses) for the shared grammar. */
export async function createPythonParser(assetDir?: string): Promise<Parser> {
  const language = await loadPythonLanguage(assetDir);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
