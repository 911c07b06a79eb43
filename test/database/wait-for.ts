/** Polls a condition until it holds: the tests wait on state, never a fixed sleep. */
export async function waitFor(check: () => Promise<boolean>, attempts = 2000): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition not reached');
}
