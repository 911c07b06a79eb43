/**
 * Sequelize models found across a workspace's modules for the translator and the embedded
 * database: a model named in one file is looked up where it is imported from. What a file's models
 * and associations are is read by languages/typescript/sequelize-definitions.ts.
 */
import { readModels, type SequelizeModel } from '../../languages/typescript/sequelize-definitions';
import type { TsModules } from './typescript-modules';

export class SequelizeModels {
  private readonly byFile = new Map<string, SequelizeModel[]>();

  constructor(private readonly file: string, private readonly modules: TsModules) {}

  /** The model `name` (a code name as `from` uses it). */
  model(name: string, from = this.file): SequelizeModel | undefined {
    for (const c of this.modules.candidates('sequelize', name, from)) {
      const models = this.modelsOf(c.file);
      const m = models.find((x) => x.name === c.name) ?? (c.name === 'default' ? models[0] : undefined);
      if (m) return m;
    }
    return undefined;
  }

  /** The models a file defines. */
  modelsOf(file: string): SequelizeModel[] {
    let models = this.byFile.get(file);
    if (!models) {
      const sf = this.modules.sourceFile(file);
      models = sf ? readModels(sf, file) : [];
      this.byFile.set(file, models);
    }
    return models;
  }
}
