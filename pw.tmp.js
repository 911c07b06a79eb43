const { Worker, isMainThread, workerData, parentPort } = require('worker_threads');
const fs = require('fs'); const path = require('path');
if (isMainThread) {
  const files = [];
  (function walk(d){ for (const e of fs.readdirSync(d,{withFileTypes:true})) { const p=path.join(d,e.name); if (e.isDirectory()) { if (e.name!=='node_modules') walk(p);} else if (/\.(ts|tsx|js|mjs|cjs|jsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);} })(process.argv[2]);
  const n = +process.argv[3];
  const t0 = performance.now(); let done = 0;
  for (let w = 0; w < n; w++) {
    const wk = new Worker(__filename, { workerData: files.filter((_, i) => i % n === w) });
    wk.on('message', (m) => { console.log('worker', w, m); if (++done === n) console.log('total', (performance.now() - t0).toFixed(0)); });
  }
} else {
  const ts = require('typescript');
  const t0 = performance.now();
  for (const f of workerData) ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), 99, false);
  parentPort.postMessage((performance.now() - t0).toFixed(0) + ' ms for ' + workerData.length);
}
