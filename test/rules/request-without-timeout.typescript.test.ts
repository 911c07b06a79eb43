import { ruleTests } from '../harness/rule-tester';

const EXPRESS = `import express from 'express';\nimport axios from 'axios';\nconst app = express();\n`;

ruleTests('request-without-timeout', {
  valid: [
    {
      name: 'fetch with an abort signal',
      file: 'a.ts',
      code: `${EXPRESS}app.get('/x', async (req, res) => {\n  res.json(await (await fetch('https://api.example.com', { signal: AbortSignal.timeout(5000) })).json());\n});\n`,
      why: 'it gives up after 5 s',
    },
    {
      name: 'axios with a timeout, and an instance created with one',
      file: 'a.ts',
      code: `${EXPRESS}const api = axios.create({ baseURL: 'https://api.example.com', timeout: 3000 });\napp.get('/x', async (req, res) => {\n  const a = await axios.get('https://example.com', { timeout: 2000 });\n  const b = await api.get('/y');\n  res.json([a.data, b.data]);\n});\n`,
      why: 'timeouts set',
    },
    {
      name: 'axios.defaults.timeout set for the module',
      file: 'a.ts',
      code: `${EXPRESS}axios.defaults.timeout = 5000;\napp.get('/x', async (req, res) => {\n  res.json((await axios.get('https://example.com')).data);\n});\n`,
      why: 'a default timeout applies',
    },
    {
      name: 'fetch in a script, not a handler',
      file: 'scripts/sync.ts',
      code: `async function main() {\n  await fetch('https://example.com');\n}\nmain();\n`,
      why: 'not on a request path',
    },
    {
      name: 'options passed through a variable',
      file: 'a.ts',
      code: `${EXPRESS}app.get('/x', async (req, res) => {\n  const opts = { signal: AbortSignal.timeout(1000) };\n  res.json(await (await fetch('https://example.com', opts)).json());\n});\n`,
      why: 'options we cannot see may carry a signal',
    },
  ],
  invalid: [
    {
      name: 'fetch without options in an Express handler',
      file: 'a.ts',
      code: `${EXPRESS}app.get('/weather', async (req, res) => {\n  const r = await fetch(\`https://api.example.com/w?q=\${req.query.q}\`);\n  res.json(await r.json());\n});\n`,
      findings: [{ line: 5, message: /`fetch` waits as long as the server keeps the connection open, in the express handler `GET \/weather`/ }],
      output: `${EXPRESS}app.get('/weather', async (req, res) => {\n  const r = await fetch(\`https://api.example.com/w?q=\${req.query.q}\`, { signal: AbortSignal.timeout(10_000) });\n  res.json(await r.json());\n});\n`,
    },
    {
      name: 'fetch with options but no signal',
      file: 'app/api/proxy/route.ts',
      code: `export async function POST(req: Request) {\n  return fetch('https://upstream.example.com', { method: 'POST', body: await req.text() });\n}\n`,
      findings: [{ line: 2 }],
      output: `export async function POST(req: Request) {\n  return fetch('https://upstream.example.com', { method: 'POST', body: await req.text(), signal: AbortSignal.timeout(10_000) });\n}\n`,
    },
    {
      name: 'axios.post without config',
      file: 'a.ts',
      code: `${EXPRESS}app.post('/hook', async (req, res) => {\n  await axios.post('https://hooks.example.com', req.body);\n  res.sendStatus(204);\n});\n`,
      findings: [{ line: 5, message: /axios\.post/ }],
      output: `${EXPRESS}app.post('/hook', async (req, res) => {\n  await axios.post('https://hooks.example.com', req.body, { timeout: 10_000 });\n  res.sendStatus(204);\n});\n`,
    },
    {
      name: 'axios.get in a helper the handler calls',
      file: 'a.ts',
      code: `${EXPRESS}async function price(sku: string) {\n  return (await axios.get(\`https://prices.example.com/\${sku}\`)).data;\n}\napp.get('/p/:sku', async (req, res) => res.json(await price(req.params.sku)));\n`,
      findings: [{ line: 5, message: /in `price`, which the express handler `GET \/p\/:sku` calls/ }],
      output: `${EXPRESS}async function price(sku: string) {\n  return (await axios.get(\`https://prices.example.com/\${sku}\`, { timeout: 10_000 })).data;\n}\napp.get('/p/:sku', async (req, res) => res.json(await price(req.params.sku)));\n`,
    },
  ],
});

ruleTests('request-without-timeout', {
  valid: [],
  invalid: [
    {
      name: 'an imported client function without a timeout',
      file: 'src/routes/weather.ts',
      workspace: { 'src/clients/weather.ts': `export async function forecast(city: string) {\n  const r = await fetch(\`https://api.example.com/f?c=\${city}\`);\n  return r.json();\n}\n` },
      code: `import { Router } from 'express';\nimport { forecast } from '../clients/weather';\nexport const router = Router();\nrouter.get('/weather', async (req, res) => {\n  res.json(await forecast(String(req.query.city)));\n});\n`,
      findings: [{ line: 5, message: /`fetch` waits as long as the server keeps the connection open, in `forecast`, which the express handler `GET \/weather` calls/ }],
    },
  ],
});
