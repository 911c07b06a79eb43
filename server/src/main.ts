/** Entry of the bundled language server: transport from argv (--stdio, --node-ipc, --socket). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

// Bundled, the workers' bundle (lint-worker.js) sits beside this one; from sources, its compiled module.
const indexWorkerScript = [path.join(__dirname, 'lint-worker.js'), path.join(__dirname, 'workers', 'lint-worker.js')].find((f) => fs.existsSync(f));
startServer(createConnection(ProposedFeatures.all), { assetDir: __dirname, indexWorkerScript });
