/**
 * Tables after the tables they reference, otherwise in their given order: the order DDL creates
 * them in (sqlalchemy-ddl.ts) and data fills them in (data-plan.ts). Where tables reference each
 * other, the cycle starts at its table of least `cost` (the first among equals), and the tables
 * that only wait for the cycle come after all of it.
 */
export function parentsFirst<T>(
  tables: readonly T[],
  name: (t: T) => string,
  /** The names of the tables `t` references (itself and unknown names are ignored). */
  references: (t: T) => readonly string[],
  /** How hard it is to fill `t` before the tables it still waits for (`waitsFor`). */
  cost: (t: T, waitsFor: ReadonlySet<string>) => number = () => 0,
): T[] {
  const byName = new Map(tables.map((t) => [name(t), t]));
  // Names placed (what others wait for) and tables placed (two may share a name: nova's two databases).
  const done = new Set<string>();
  const placed = new Set<T>();
  const out: T[] = [];
  const waitsFor = (t: T): Set<string> => new Set(references(t).filter((r) => r !== name(t) && byName.has(r) && !done.has(r)));
  const place = (t: T): void => {
    out.push(t);
    placed.add(t);
    done.add(name(t));
  };
  // A table waiting for a cycle is not in one: it can reach the cycle, not itself.
  const inCycle = (t: T): boolean => {
    const seen = new Set<string>();
    const stack = [...waitsFor(t)];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === name(t)) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...waitsFor(byName.get(n)!));
    }
    return false;
  };
  while (out.length < tables.length) {
    let progress = false;
    for (const t of tables) {
      if (placed.has(t) || waitsFor(t).size) continue;
      place(t);
      progress = true;
    }
    if (progress) continue;
    let first: T | undefined;
    for (const t of tables) if (!placed.has(t) && inCycle(t) && (!first || cost(t, waitsFor(t)) < cost(first, waitsFor(first)))) first = t;
    place(first ?? tables.find((t) => !placed.has(t))!);
  }
  return out;
}
