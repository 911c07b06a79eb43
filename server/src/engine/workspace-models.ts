/**
 * What the workspace knows about ORM models: their relations, from every file that defines them
 * (Django `models.py` and friends). Reverse relations are derived here, since they are declared on
 * the other model. Small: names and relation kinds only.
 */
import type { ModelFact, RelationFact } from '../languages/facts';

export class WorkspaceModels {
  private readonly byFile = new Map<string, ModelFact[]>();
  private index?: Map<string, Map<string, RelationFact>>;

  /** Replaces what `file` defines (an empty list forgets it). */
  set(file: string, models: readonly ModelFact[]): void {
    if (models.length === 0 && !this.byFile.has(file)) return;
    if (models.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, [...models]);
    this.index = undefined;
  }

  get size(): number {
    return this.byFile.size;
  }

  private build(): Map<string, Map<string, RelationFact>> {
    const index = new Map<string, Map<string, RelationFact>>();
    const rels = (model: string) => {
      let m = index.get(model);
      if (!m) index.set(model, (m = new Map()));
      return m;
    };
    for (const models of this.byFile.values()) {
      for (const model of models) {
        rels(model.name);
        for (const r of model.relations) {
          rels(model.name).set(r.field, r);
          if (r.reverseName) rels(r.target).set(r.reverseName, { field: r.reverseName, kind: 'to-many', target: model.name });
        }
      }
    }
    return index;
  }

  /** The relation `field` of `model`, if the workspace defines one. */
  relation(model: string, field: string): RelationFact | undefined {
    return (this.index ??= this.build()).get(model)?.get(field);
  }

  /** Is `model` a model the workspace defines? */
  has(model: string): boolean {
    return (this.index ??= this.build()).has(model);
  }
}
