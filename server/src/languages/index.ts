import type { LanguageAdapter } from './adapter';
import type { LanguageId } from './facts';
import { PrismaAdapter } from './prisma/adapter';
import { PythonAdapter } from './python/adapter';
import { SqlAdapter } from './sql/adapter';
import { TypescriptAdapter } from './typescript/adapter';

/**
 * One adapter per language. `assetDir` is where the bundled `.wasm` files sit (beside the bundle);
 * when running from sources it is undefined and the adapters resolve them from node_modules.
 */
export function createAdapters(assetDir?: string): Record<LanguageId, LanguageAdapter> {
  return {
    typescript: new TypescriptAdapter(),
    python: new PythonAdapter(assetDir),
    sql: new SqlAdapter(),
    prisma: new PrismaAdapter(),
  };
}
