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
  ],
  invalid: [
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
