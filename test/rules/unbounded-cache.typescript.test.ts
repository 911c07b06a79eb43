import * as assert from 'node:assert/strict';
import { lintText, testEngine, workspaceFrom } from '../harness/engine';
import { ruleTests } from '../harness/rule-tester';

ruleTests('unbounded-cache', {
  valid: [
    {
      name: 'WeakMap keyed by objects',
      file: 'a.ts',
      code: `const meta = new WeakMap<object, string>();\nexport function tag(o: object, t: string) {\n  if (!meta.has(o)) meta.set(o, t);\n  return meta.get(o);\n}\n`,
      why: 'entries go when their key is collected',
    },
    {
      name: 'LRUCache with max',
      file: 'a.ts',
      code: `import { LRUCache } from 'lru-cache';\nconst users = new LRUCache<string, User>({ max: 500 });\nexport async function user(id: string) {\n  if (!users.has(id)) users.set(id, await load(id));\n  return users.get(id);\n}\n`,
      why: 'bounded',
    },
    {
      name: 'a map with eviction code',
      file: 'a.ts',
      code: `const cache = new Map<string, number>();\nexport function get(k: string) {\n  if (cache.size > 1000) cache.delete(cache.keys().next().value!);\n  if (!cache.has(k)) cache.set(k, compute(k));\n  return cache.get(k);\n}\n`,
      why: 'a size check and delete bound it',
    },
    {
      name: 'a map cleared on a timer',
      file: 'a.ts',
      code: `const cache = new Map<string, number>();\nsetInterval(() => cache.clear(), 60_000);\nexport function get(k: string) {\n  if (!cache.has(k)) cache.set(k, compute(k));\n  return cache.get(k);\n}\n`,
      why: 'emptied every minute',
    },
    {
      name: 'a constant lookup table',
      file: 'a.ts',
      code: `const STATUS: Record<string, string> = { a: 'active', d: 'deleted' };\nexport const label = (k: string) => STATUS[k];\n`,
      why: 'written once, in place',
    },
    {
      name: 'a registry filled at start-up',
      file: 'registry.ts',
      code: `const handlers = new Map<string, Handler>();\nexport function register(name: string, h: Handler) {\n  handlers.set(name, h);\n}\nexport const dispatch = (name: string) => handlers.get(name)?.();\n`,
      why: 'keys come from code (a fixed set of names), not traffic: not a cache',
    },
    {
      name: 'decorators that register the class they return (cleanup priorities, an entity list)',
      file: 'decorators.ts',
      code: `const _cacheCleanupList: Array<[number, Function]> = [];\nexport function cleanup(priority: number) {\n  return function (cls: Function) {\n    _cacheCleanupList.push([priority, cls]);\n    return cls;\n  };\n}\nconst entityCache = new Map<string, Function>();\nexport const Entity = (path: string) => (target: Function) => {\n  entityCache.set(path, target);\n  return target;\n};\n`,
      why: 'each runs once per decorated class, when the module loads',
    },
    {
      name: 'a map local to a function',
      file: 'a.ts',
      code: `export function index(rows: Row[]) {\n  const byId = new Map<number, Row>();\n  for (const r of rows) byId.set(r.id, r);\n  return byId;\n}\n`,
      why: 'lives for one call',
    },
    {
      name: 'memoizee with max, NodeCache with stdTTL',
      file: 'a.ts',
      code: `import memoize from 'memoizee';\nimport NodeCache from 'node-cache';\nexport const price = memoize((sku: string) => lookup(sku), { max: 1000 });\nexport const sessions = new NodeCache({ stdTTL: 600 });\n`,
      why: 'bounded by size or time',
    },
    {
      name: 'Redis set with EX, and a key expired after writing',
      file: 'a.ts',
      code: `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function save(id: string, v: string) {\n  await redis.set(\`session:\${id}\`, v, 'EX', 3600);\n  await redis.hset(\`user:\${id}\`, { v });\n  await redis.expire(\`user:\${id}\`, 600);\n}\n`,
      why: 'every key expires',
    },
    {
      name: "a client component's cache filled in an effect",
      file: 'app/components/Avatar.tsx',
      code: `'use client';\nimport { useEffect, useState } from 'react';\nconst imageCache = new Map<string, string>();\nexport function Avatar({ userId }: { userId: string }) {\n  const [src, setSrc] = useState(imageCache.get(userId));\n  useEffect(() => {\n    if (imageCache.has(userId)) return;\n    fetch(\`/api/avatar/\${userId}\`).then((r) => r.text()).then((url) => {\n      imageCache.set(userId, url);\n      setSrc(url);\n    });\n  }, [userId]);\n  return <img src={src} />;\n}\n`,
      why: 'effects run in the browser only: the map lives as long as the page',
    },
    {
      name: "a cache filled by a JSX element's event handler",
      file: 'components/Row.jsx',
      code: `const expanded = {};\nexport function Row({ id }) {\n  return <button onClick={async () => { if (!expanded[id]) expanded[id] = await (await fetch('/api/rows/' + id)).json(); }}>{id}</button>;\n}\n`,
      why: 'event handlers run in the browser',
    },
    {
      name: "a cache filled by a listener of the page's events",
      file: 'widget.js',
      code: `const cache = {};\ndocument.addEventListener('click', async (e) => {\n  const id = e.target.dataset.id;\n  if (!cache[id]) cache[id] = await (await fetch('/api/items/' + id)).json();\n  render(cache[id]);\n});\n`,
      why: 'a DOM listener runs in the browser',
    },
    {
      name: 'JavaScript served to browsers from a public/ folder',
      file: 'public/js/search.js',
      code: `const results = new Map();\nasync function search(q) {\n  if (!results.has(q)) results.set(q, await (await fetch('/search?q=' + q)).json());\n  return results.get(q);\n}\n`,
      why: 'a browser script, not backend code',
    },
  ],
  invalid: [
    {
      name: 'a component that fills a module-level cache while it renders: server rendering runs that on the server',
      file: 'app/components/Price.tsx',
      code: `const formatted = new Map<string, string>();\nexport function Price({ currency, amount }: { currency: string; amount: number }) {\n  if (!formatted.has(currency)) formatted.set(currency, format(currency));\n  return <span>{formatted.get(currency)} {amount}</span>;\n}\n`,
      findings: [{ line: 1 }],
      output: `import { LRUCache } from 'lru-cache';\nconst formatted = new LRUCache<string, string>({ max: 1000 });\nexport function Price({ currency, amount }: { currency: string; amount: number }) {\n  if (!formatted.has(currency)) formatted.set(currency, format(currency));\n  return <span>{formatted.get(currency)} {amount}</span>;\n}\n`,
    },
    {
      name: "a Node WebSocket client's message listener (an EventTarget that is not the page's)",
      file: 'feed.ts',
      code: `const quotes = new Map<string, Quote>();\nexport function follow(socket: WebSocket) {\n  socket.addEventListener('message', (e) => {\n    const q = JSON.parse(String(e.data));\n    if (!quotes.has(q.symbol)) quotes.set(q.symbol, q);\n  });\n}\nexport const quote = (s: string) => quotes.get(s);\n`,
      findings: [{ line: 1 }],
    },
    {
      name: 'TypeScript in a static/ folder is compiled first: server code (Budibase keeps controllers there)',
      file: 'api/controllers/static/index.ts',
      code: `const manifests = new Map<string, object>();\nexport async function serveManifest(ctx: { params: { appId: string }; body: unknown }) {\n  if (!manifests.has(ctx.params.appId)) manifests.set(ctx.params.appId, await buildManifest(ctx.params.appId));\n  ctx.body = manifests.get(ctx.params.appId);\n}\n`,
      findings: [{ line: 1 }],
    },
    {
      name: 'a function that stores an object by its id and returns it (a write-through cache, not a decorator)',
      file: 'users.ts',
      code: `const userCache = new Map<string, { id: string }>();\nexport function remember(user: { id: string }) {\n  userCache.set(user.id, user);\n  return user;\n}\n`,
      findings: [{ line: 1, message: /`userCache` is a module-level `Map` that gains an entry per new key/ }],
    },
    {
      name: 'module-level Map as a get-or-compute cache → LRUCache',
      file: 'users.ts',
      code: `import { prisma } from './db';\nconst userCache = new Map<string, User>();\nexport async function getUser(id: string) {\n  const hit = userCache.get(id);\n  if (hit) return hit;\n  const user = await prisma.user.findUniqueOrThrow({ where: { id } });\n  userCache.set(id, user);\n  return user;\n}\n`,
      findings: [{ line: 2, message: /`userCache` is a module-level `Map` that gains an entry per new key \(`userCache\.set\(id, user\)`, keyed by input\)/ }],
      output: `import { prisma } from './db';\nimport { LRUCache } from 'lru-cache';\nconst userCache = new LRUCache<string, User>({ max: 1000 });\nexport async function getUser(id: string) {\n  const hit = userCache.get(id);\n  if (hit) return hit;\n  const user = await prisma.user.findUniqueOrThrow({ where: { id } });\n  userCache.set(id, user);\n  return user;\n}\n`,
    },
    {
      name: 'a typed Map annotation changes with the value (CommonJS file)',
      file: 'rates.js',
      code: `const axios = require('axios');\nconst rates = new Map();\nasync function rate(currency) {\n  if (!rates.has(currency)) rates.set(currency, await fetchRate(currency));\n  return rates.get(currency);\n}\nmodule.exports = { rate };\n`,
      findings: [{ line: 2 }],
      output: `const axios = require('axios');\nconst { LRUCache } = require('lru-cache');\nconst rates = new LRUCache({ max: 1000 });\nasync function rate(currency) {\n  if (!rates.has(currency)) rates.set(currency, await fetchRate(currency));\n  return rates.get(currency);\n}\nmodule.exports = { rate };\n`,
    },
    {
      name: 'object used as a cache, written from a request handler',
      file: 'server.ts',
      code: `import express from 'express';\nconst app = express();\nconst results: Record<string, unknown> = {};\napp.get('/search', async (req, res) => {\n  const q = String(req.query.q);\n  results[q] = await search(q);\n  res.json(results[q]);\n});\n`,
      findings: [{ line: 3, message: /module-level object/ }],
    },
    {
      name: 'a NestJS singleton service with a Map field',
      file: 'geo.service.ts',
      code: `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class GeoService {\n  private cache = new Map<string, Geo>();\n  async lookup(ip: string) {\n    if (!this.cache.has(ip)) this.cache.set(ip, await geoip(ip));\n    return this.cache.get(ip);\n  }\n}\n`,
      findings: [{ line: 4, message: /`this\.cache` is a `Map` field of a singleton service/ }],
      output: `import { Injectable } from '@nestjs/common';\nimport { LRUCache } from 'lru-cache';\n@Injectable()\nexport class GeoService {\n  private cache = new LRUCache<string, Geo>({ max: 1000 });\n  async lookup(ip: string) {\n    if (!this.cache.has(ip)) this.cache.set(ip, await geoip(ip));\n    return this.cache.get(ip);\n  }\n}\n`,
    },
    {
      name: 'two module-level maps, only one of them evicted: each is judged on its own use',
      file: 'a.ts',
      code: `const cache = new Map<string, number>();\nconst profiles = new Map<string, Profile>();\nsetInterval(() => cache.clear(), 60_000);\nexport function get(k: string) {\n  if (!cache.has(k)) cache.set(k, compute(k));\n  return cache.get(k);\n}\nexport async function profile(id: string) {\n  if (!profiles.has(id)) profiles.set(id, await load(id));\n  return profiles.get(id);\n}\n`,
      findings: [{ line: 2, message: /`profiles` is a module-level `Map`/ }],
    },
    {
      name: 'a service field named like a cleared module-level map: `this.cache` is not `cache`',
      file: 'geo.service.ts',
      code: `import { Injectable } from '@nestjs/common';\nconst cache = new Map<string, Geo>();\nsetInterval(() => cache.clear(), 60_000);\nexport const cached = (ip: string) => cache.get(ip);\n@Injectable()\nexport class GeoService {\n  private cache = new Map<string, Geo>();\n  async lookup(ip: string) {\n    if (!this.cache.has(ip)) this.cache.set(ip, await geoip(ip));\n    return this.cache.get(ip);\n  }\n}\n`,
      findings: [{ line: 7, message: /`this\.cache` is a `Map` field of a singleton service/ }],
    },
    {
      name: 'lodash memoize at module level',
      file: 'a.ts',
      code: `import _ from 'lodash';\nexport const slug = _.memoize((title: string) => title.toLowerCase().replace(/\\W+/g, '-'));\n`,
      findings: [{ line: 2, message: /keeps the result for every distinct argument forever/ }],
    },
    {
      name: 'memoizee without max',
      file: 'a.ts',
      code: `import memoize from 'memoizee';\nexport const price = memoize((sku: string) => lookup(sku), { promise: true });\n`,
      findings: [{ line: 2 }],
      output: `import memoize from 'memoizee';\nexport const price = memoize((sku: string) => lookup(sku), { promise: true, max: 1000 });\n`,
    },
    {
      name: 'new NodeCache() without a TTL',
      file: 'a.ts',
      code: `import NodeCache from 'node-cache';\nexport const cache = new NodeCache();\n`,
      findings: [{ line: 2 }],
      output: `import NodeCache from 'node-cache';\nexport const cache = new NodeCache({ stdTTL: 3600 });\n`,
    },
    {
      name: 'ioredis set of a key built from input without expiry',
      file: 'session.ts',
      code: `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function saveSession(id: string, data: object) {\n  await redis.set(\`session:\${id}\`, JSON.stringify(data));\n}\n`,
      findings: [{ line: 4, message: /no expiry/ }],
      output: `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function saveSession(id: string, data: object) {\n  await redis.set(\`session:\${id}\`, JSON.stringify(data), 'EX', 3600);\n}\n`,
    },
    {
      name: 'node-redis v4 set → { EX }',
      file: 'session.ts',
      code: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function remember(userId: string, token: string) {\n  await client.set('token:' + userId, token);\n}\n`,
      findings: [{ line: 4 }],
      output: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function remember(userId: string, token: string) {\n  await client.set('token:' + userId, token, { EX: 3600 });\n}\n`,
    },
  ],
});

ruleTests('unbounded-cache', {
  valid: [
    {
      name: 'an object filled with ??= under a fixed key',
      file: 'config.ts',
      code: `const memo: Record<string, unknown> = {};\nexport async function config() {\n  memo['settings'] ??= await load('settings');\n  return memo['settings'];\n}\n`,
      why: 'one constant key: the object holds one entry, whatever the traffic',
    },
    {
      name: 'an object filled with ??= and evicted',
      file: 'memo.ts',
      code: `import express from 'express';\nconst app = express();\nconst memo: Record<string, unknown> = {};\napp.get('/x/:k', async (req, res) => {\n  memo[req.params.k] ??= await load(req.params.k);\n  res.json(memo[req.params.k]);\n});\napp.delete('/x/:k', (req, res) => {\n  delete memo[req.params.k];\n  res.sendStatus(204);\n});\n`,
      why: 'entries are removed: not a store that only grows',
    },
    {
      name: 'a store keyed by a fixed domain, filled with ||=',
      file: 'dialects.ts',
      code: `const byDialect: Record<string, Formatter> = {};\nexport function formatter(dialect: string) {\n  return (byDialect[dialect] ||= makeFormatter(dialect));\n}\n`,
      why: 'a dialect is one of a few: the store stays small',
    },
  ],
  invalid: [
    {
      name: 'an object filled with ??= from a request handler',
      file: 'memo.ts',
      code: `import express from 'express';\nconst app = express();\nconst memo: Record<string, unknown> = {};\napp.get('/x/:k', async (req, res) => {\n  memo[req.params.k] ??= await load(req.params.k);\n  res.json(memo[req.params.k]);\n});\n`,
      findings: [{ line: 3, message: /`memo` is a module-level object that gains an entry per new key \(`memo\[req\.params\.k\] \?\?= await load\(req\.params\.k\)`, keyed by input\)/ }],
    },
    {
      name: 'an object filled with ||= in a helper (the get-or-compute shape, no handler in sight)',
      file: 'memo.ts',
      code: `const results: Record<string, Result> = {};\nexport async function lookup(term: string) {\n  return (results[term] ||= await search(term));\n}\n`,
      findings: [{ line: 1, message: /`results` is a module-level object/ }],
    },
    {
      name: 'a singleton service field filled with ??=',
      file: 'geo.service.ts',
      code: `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class GeoService {\n  private byIp: Record<string, Geo> = {};\n  async lookup(ip: string) {\n    return (this.byIp[ip] ??= await geoip(ip));\n  }\n}\n`,
      findings: [{ line: 4 }],
    },
    {
      name: 'a Map filled with get(k) ?? (set(k, v), v)',
      file: 'users.ts',
      code: `const users = new Map<string, User>();\nexport async function user(id: string) {\n  return users.get(id) ?? (users.set(id, await load(id)), users.get(id)!);\n}\n`,
      findings: [{ line: 1, message: /`users` is a module-level `Map`/ }],
      output: `import { LRUCache } from 'lru-cache';\nconst users = new LRUCache<string, User>({ max: 1000 });\nexport async function user(id: string) {\n  return users.get(id) ?? (users.set(id, await load(id)), users.get(id)!);\n}\n`,
    },
  ],
});

describe('unbounded-cache: the LRUCache fix says it needs lru-cache only when the file\'s package.json lacks it', () => {
  const code = `const users = new Map<string, User>();\nexport async function user(id: string) {\n  if (!users.has(id)) users.set(id, await load(id));\n  return users.get(id);\n}\n`;
  const title = async (file: string, files: Record<string, string>) => {
    const engine = await testEngine();
    const found = lintText(engine, code, file, undefined, workspaceFrom(engine, files)).findings.filter((f) => f.ruleId === 'unbounded-cache');
    assert.equal(found.length, 1);
    return found[0].fixes[0].title;
  };
  it('a dependency of the package: no note', async () => {
    assert.equal(await title('users.ts', { '../package.json': '{"dependencies":{"lru-cache":"^11.0.0"}}' }), 'Bound `users` with an LRUCache (max 1000)');
  });
  it('a package.json without it: the note', async () => {
    assert.equal(await title('users.ts', { '../package.json': '{"dependencies":{"express":"^4"}}' }), 'Bound `users` with an LRUCache (max 1000) — needs the lru-cache package');
  });
  it('the nearest package.json decides: a service of a monorepo whose root has it, the service not', async () => {
    const files = { '../package.json': '{"dependencies":{"lru-cache":"^11.0.0"}}', 'api/package.json': '{"dependencies":{"express":"^4"}}' };
    assert.equal(await title('api/users.ts', files), 'Bound `users` with an LRUCache (max 1000) — needs the lru-cache package');
    assert.equal(await title('users.ts', files), 'Bound `users` with an LRUCache (max 1000)');
  });
  it('in devDependencies only: the note (a production install would lack it)', async () => {
    assert.equal(await title('users.ts', { '../package.json': '{"devDependencies":{"lru-cache":"^11.0.0"}}' }), 'Bound `users` with an LRUCache (max 1000) — needs the lru-cache package');
  });
  it('no package.json known: the note', async () => {
    assert.equal(await title('users.ts', {}), 'Bound `users` with an LRUCache (max 1000) — needs the lru-cache package');
  });
});
