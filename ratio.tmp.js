const { PythonAdapter } = require('./out/server/src/languages/python/adapter.js');
