const fs=require('fs'),path=require('path');const inspector=require('inspector');
const {PythonAdapter}=require('./out/server/src/languages/python/adapter.js');
const {SourceFile}=require('./out/server/src/engine/source-file.js');
const post=(s,m,p)=>new Promise((res,rej)=>s.post(m,p||{},(e,r)=>e?rej(e):res(r)));
function files(d,o=[]){for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=path.join(d,e.name);if(e.isDirectory())files(p,o);else if(p.endsWith('.py'))o.push(p);}return o;}
(async()=>{
 const a=new PythonAdapter();await a.init();
 const fl=files(process.argv[2]);const texts=fl.map(f=>fs.readFileSync(f,'utf8'));
 fl.forEach((f,i)=>{a.facts(new SourceFile(f,'python',texts[i]));a.forget(f);});
 const ses=new inspector.Session();ses.connect();
 await post(ses,'HeapProfiler.startSampling',{samplingInterval:4096,includeObjectsCollectedByMajorGC:true,includeObjectsCollectedByMinorGC:true});
 fl.forEach((f,i)=>{a.facts(new SourceFile(f,'python',texts[i]));a.forget(f);});
 const {profile}=await post(ses,'HeapProfiler.stopSampling');
 const self=new Map();let tot=0;const incl=new Map();
 (function rec(n,stack){const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber;self.set(k,(self.get(k)||0)+n.selfSize);tot+=n.selfSize;const st=new Set(stack);st.add(k);for(const x of st)incl.set(x,(incl.get(x)||0)+n.selfSize);for(const ch of n.children)rec(ch,st);})(profile.head,new Set());
 const MB=x=>(x/1048576).toFixed(1).padStart(7);
 console.log('MB total',MB(tot), 'source MB', MB(texts.reduce((s,t)=>s+t.length,0)));
 console.log('--self');for(const [k,v] of [...self].sort((a,b)=>b[1]-a[1]).slice(0,30))console.log(MB(v),k);
 console.log('--incl');for(const [k,v] of [...incl].sort((a,b)=>b[1]-a[1]).slice(0,50))console.log(MB(v),k);
})();
