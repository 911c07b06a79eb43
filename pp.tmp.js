const fs = require('fs'); const path = require('path'); const ts = require('typescript');
const files = [];
(function walk(d){ for (const e of fs.readdirSync(d,{withFileTypes:true})) { const p=path.join(d,e.name); if (e.isDirectory()) { if (e.name!=='node_modules') walk(p);} else if (/\.(ts|tsx|js|mjs|cjs|jsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);} })(process.argv[2]);
const n = +process.argv[3], w = +process.argv[4];
const mine = files.filter((_, i) => i % n === w);
const t0 = performance.now();
for (const f of mine) ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), 99, false);
console.log('proc', w, (performance.now() - t0).toFixed(0), 'ms for', mine.length);
