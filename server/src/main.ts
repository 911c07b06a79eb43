/** Entry of the bundled language server: transport from argv (--stdio, --node-ipc, --socket). */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all), { assetDir: __dirname });
