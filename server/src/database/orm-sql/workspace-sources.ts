/**
 * The files and syntax trees the ORM→SQL translation reads, from the engine's adapters and the
 * workspace's model index; an open editor buffer wins over the file on disk.
 */
import * as fs from 'node:fs';
import type { Engine } from '../../engine/analyze';
import { SourceFile } from '../../engine/source-file';
import type { WorkspaceModels } from '../../engine/workspace-models';
import type { PythonAdapter } from '../../languages/python/adapter';
import type { OrmSources } from './orm-call-sql';

export function workspaceOrmSources(engine: Engine, models: WorkspaceModels | undefined, openText: (file: string) => string | undefined): OrmSources {
  return {
    read(file) {
      const open = openText(file);
      if (open !== undefined) return open;
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    modelFiles: (orm, model) => models?.filesDefining(model, orm) ?? [],
    drizzleCasing: models?.drizzleCasing,
    pythonTree(file, text) {
      const adapter = engine.adapter('python') as PythonAdapter | undefined;
      return adapter?.syntaxTree(new SourceFile(file, 'python', text))?.rootNode;
    },
  };
}
