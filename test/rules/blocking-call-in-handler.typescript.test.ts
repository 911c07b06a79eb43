import { ruleTests } from '../harness/rule-tester';

const EXPRESS = `import express from 'express';\nimport fs from 'node:fs';\nconst app = express();\n`;

ruleTests('blocking-call-in-handler', {
  valid: [
    {
      name: 'readFileSync at module start-up',
      file: 'server.ts',
      code: `${EXPRESS}const template = fs.readFileSync('page.html', 'utf8');\napp.get('/', (req, res) => res.send(template));\n`,
      why: 'start-up code runs once, before any request',
    },
    {
      name: 'a CLI script',
      file: 'scripts/export.ts',
      code: `import fs from 'node:fs';\nimport { execSync } from 'node:child_process';\nfunction main(path: string) {\n  const rows = fs.readFileSync(path, 'utf8');\n  execSync('gzip out.csv');\n  return rows;\n}\nmain(process.argv[2]);\n`,
      why: 'not a request handler',
    },
    {
      name: 'a BullMQ worker sending email',
      file: 'worker.ts',
      code: `import { Worker } from 'bullmq';\nimport nodemailer from 'nodemailer';\nconst transporter = nodemailer.createTransport({});\nnew Worker('mail', async (job) => {\n  await transporter.sendMail(job.data);\n});\n`,
      why: 'a queue job is the right place for a send',
    },
    {
      name: 'the asynchronous fs API in a handler',
      file: 'server.ts',
      code: `${EXPRESS}app.get('/report', async (req, res) => {\n  res.send(await fs.promises.readFile('report.html', 'utf8'));\n});\n`,
      why: 'does not block',
    },
    {
      name: 'a send that is not awaited (fire and forget)',
      file: 'server.ts',
      code: `import express from 'express';\nimport nodemailer from 'nodemailer';\nconst app = express();\nconst transporter = nodemailer.createTransport({});\napp.post('/signup', (req, res) => {\n  transporter.sendMail({ to: req.body.email }).catch(console.error);\n  res.sendStatus(201);\n});\n`,
      why: 'the response does not wait for it',
    },
    {
      name: 'map.get with a path-like key is not a route',
      file: 'cache.ts',
      code: `import fs from 'node:fs';\nconst routes = new Map();\nroutes.get('/x', () => fs.readFileSync('x'));\n`,
      why: 'no router evidence: a Map, not an app',
    },
  ],
  invalid: [
    {
      name: 'NestJS: a handler awaits a method of an injected service that sends mail',
      file: 'src/reports.controller.ts',
      workspace: { 'src/reports.service.ts': `import { Injectable } from '@nestjs/common';\nimport { EntityManager } from '@mikro-orm/postgresql';\nimport * as nodemailer from 'nodemailer';\n\n@Injectable()\nexport class ReportsService {\n  private readonly transport = nodemailer.createTransport({});\n  constructor(private readonly em: EntityManager) {}\n\n  async countFor(userId: number) {\n    return this.em.count('Order', { user: userId });\n  }\n\n  async mail(to: string) {\n    await this.transport.sendMail({ to, subject: 'hi' });\n  }\n}\n` },
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { ReportsService } from './reports.service';\n\n@Controller('reports')\nexport class ReportsController {\n  constructor(private readonly reports: ReportsService) {}\n\n  @Get()\n  async counts(@Query('ids') ids: string) {\n    const out = [];\n    for (const id of ids.split(',').map(Number)) out.push(await this.reports.countFor(id));\n    await this.reports.mail('ops@example.com');\n    return out;\n  }\n}\n`,
      findings: [{ line: 12, message: /`this\.transport\.sendMail` makes the request wait on a third party in `this\.reports\.mail`, which the nestjs handler `counts` calls/ }],
    },
    {
      name: 'Express: fs.readFileSync in an inline handler',
      file: 'server.ts',
      code: `${EXPRESS}app.get('/report', (req, res) => {\n  const html = fs.readFileSync('report.html', 'utf8');\n  res.send(html);\n});\n`,
      findings: [{ line: 5, message: /`fs\.readFileSync` blocks the event loop in the express handler `GET \/report`.*`await fs\.promises\.readFile/ }],
      output: `${EXPRESS}app.get('/report', async (req, res) => {\n  const html = await fs.promises.readFile('report.html', 'utf8');\n  res.send(html);\n});\n`,
    },
    {
      name: 'a named readFileSync import, inside an async handler, used as an operand',
      file: 'routes.ts',
      code: `import { Router } from 'express';\nimport { readFileSync } from 'fs';\nexport const router = Router();\nrouter.get('/config', async (req, res) => {\n  res.json(JSON.parse(readFileSync('config.json').toString()));\n});\n`,
      findings: [{ line: 5 }],
      output: `import { Router } from 'express';\nimport { readFileSync } from 'fs';\nimport { readFile } from 'fs/promises';\nexport const router = Router();\nrouter.get('/config', async (req, res) => {\n  res.json(JSON.parse((await readFile('config.json')).toString()));\n});\n`,
    },
    {
      name: 'crypto.pbkdf2Sync in a helper called from the handler (chain named, no fix into a sync helper)',
      file: 'auth.ts',
      code: `import express from 'express';\nimport crypto from 'crypto';\nconst app = express();\nfunction hashPassword(pw: string) {\n  return crypto.pbkdf2Sync(pw, 'salt', 100000, 64, 'sha512');\n}\napp.post('/login', (req, res) => {\n  res.json({ ok: hashPassword(req.body.pw).length > 0 });\n});\n`,
      findings: [{ line: 5, message: /in `hashPassword`, which the express handler `POST \/login` calls \(`POST \/login` → `hashPassword`\)/ }],
    },
    {
      name: 'execSync in a Fastify handler → promisified exec',
      file: 'app.ts',
      code: `import Fastify from 'fastify';\nimport { execSync } from 'node:child_process';\nconst fastify = Fastify();\nfastify.get('/version', async () => {\n  return { version: execSync('git rev-parse HEAD', { encoding: 'utf8' }) };\n});\n`,
      findings: [{ line: 5 }],
      output: `import Fastify from 'fastify';\nimport { execSync, exec } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst fastify = Fastify();\nfastify.get('/version', async () => {\n  return { version: (await promisify(exec)('git rev-parse HEAD', { encoding: 'utf8' })).stdout };\n});\n`,
    },
    {
      name: 'bcrypt.hashSync in a NestJS controller method',
      file: 'users.controller.ts',
      code: `import { Body, Controller, Post } from '@nestjs/common';\nimport * as bcrypt from 'bcrypt';\n@Controller('users')\nexport class UsersController {\n  @Post()\n  create(@Body() dto: { password: string }) {\n    return { hash: bcrypt.hashSync(dto.password, 12) };\n  }\n}\n`,
      findings: [{ line: 7, message: /nestjs handler `create`/ }],
      output: `import { Body, Controller, Post } from '@nestjs/common';\nimport * as bcrypt from 'bcrypt';\n@Controller('users')\nexport class UsersController {\n  @Post()\n  async create(@Body() dto: { password: string }) {\n    return { hash: await bcrypt.hash(dto.password, 12) };\n  }\n}\n`,
    },
    {
      name: 'Next.js route handler and zlib.gzipSync',
      file: 'app/api/export/route.ts',
      code: `import zlib from 'zlib';\nexport async function GET(request: Request) {\n  const body = zlib.gzipSync(JSON.stringify(await load()));\n  return new Response(body);\n}\n`,
      findings: [{ line: 3, message: /nextjs handler `GET`/ }],
      output: `import zlib from 'zlib';\nimport { promisify } from 'util';\nexport async function GET(request: Request) {\n  const body = await promisify(zlib.gzip)(JSON.stringify(await load()));\n  return new Response(body);\n}\n`,
    },
    {
      name: 'nodemailer sendMail awaited in a Koa handler',
      file: 'signup.js',
      code: `const Koa = require('koa');\nconst nodemailer = require('nodemailer');\nconst app = new Koa();\nconst transporter = nodemailer.createTransport({ host: 'smtp' });\napp.use(async (ctx) => {\n  await transporter.sendMail({ to: ctx.request.body.email, subject: 'Welcome' });\n  ctx.status = 201;\n});\n`,
      findings: [{ line: 6, message: /wait on a third party.*background job/ }],
      output: `const Koa = require('koa');\nconst nodemailer = require('nodemailer');\nconst app = new Koa();\nconst transporter = nodemailer.createTransport({ host: 'smtp' });\napp.use(async (ctx) => {\n  void transporter.sendMail({ to: ctx.request.body.email, subject: 'Welcome' }).catch((error) => {\n    console.error('transporter.sendMail failed', error);\n  });\n  ctx.status = 201;\n});\n`,
    },
    {
      name: 'Resend awaited in a Next.js route handler → after() from next/server',
      file: 'app/api/signup/route.ts',
      code: `import { NextResponse } from 'next/server';\nimport { Resend } from 'resend';\nconst resend = new Resend(process.env.RESEND_KEY);\nexport async function POST(request: Request) {\n  const { email } = await request.json();\n  await resend.emails.send({ from: 'hi@example.com', to: email, subject: 'Welcome' });\n  return NextResponse.json({ ok: true });\n}\n`,
      findings: [{ line: 6, message: /nextjs handler `POST`/ }],
      output: `import { NextResponse, after } from 'next/server';\nimport { Resend } from 'resend';\nconst resend = new Resend(process.env.RESEND_KEY);\nexport async function POST(request: Request) {\n  const { email } = await request.json();\n  after(() => resend.emails.send({ from: 'hi@example.com', to: email, subject: 'Welcome' }));\n  return NextResponse.json({ ok: true });\n}\n`,
    },
    {
      name: 'Next.js server action whose send awaits its argument, next/server imported as types only → an async after() callback and a value import',
      file: 'app/actions.ts',
      code: `'use server';\nimport type { NextRequest } from 'next/server';\nimport { Resend } from 'resend';\nconst resend = new Resend(process.env.RESEND_KEY);\nexport async function invite(email: string) {\n  await resend.emails.send({ to: email, subject: 'Hi', html: await render(email) });\n  return { ok: true };\n}\n`,
      findings: [{ line: 6 }],
      output: `'use server';\nimport type { NextRequest } from 'next/server';\nimport { Resend } from 'resend';\nimport { after } from 'next/server';\nconst resend = new Resend(process.env.RESEND_KEY);\nexport async function invite(email: string) {\n  after(async () => {\n    await resend.emails.send({ to: email, subject: 'Hi', html: await render(email) });\n  });\n  return { ok: true };\n}\n`,
    },
    {
      name: 'Twilio awaited in a typed Express handler → sent unawaited, its failure logged',
      file: 'routes/verify.ts',
      code: `import express from 'express';\nimport twilio from 'twilio';\nconst app = express();\nconst client = twilio('sid', 'token');\napp.post('/verify', async (req, res) => {\n  await client.messages.create({ to: req.body.phone, from: '+15550100', body: 'Your code' });\n  res.sendStatus(202);\n});\n`,
      findings: [{ line: 6 }],
      output: `import express from 'express';\nimport twilio from 'twilio';\nconst app = express();\nconst client = twilio('sid', 'token');\napp.post('/verify', async (req, res) => {\n  void client.messages.create({ to: req.body.phone, from: '+15550100', body: 'Your code' }).catch((error: unknown) => {\n    console.error('client.messages.create failed', error);\n  });\n  res.sendStatus(202);\n});\n`,
    },
    {
      name: 'a send whose failure the handler answers (try/catch), one whose result is used, one in a Pages Router API route: advice only',
      file: 'pages/api/invite.ts',
      code: `import nodemailer from 'nodemailer';\nconst transporter = nodemailer.createTransport({});\nexport default async function handler(req, res) {\n  try {\n    await transporter.sendMail({ to: req.body.email });\n  } catch (e) {\n    return res.status(502).end();\n  }\n  const info = await transporter.sendMail({ to: 'audit@example.com' });\n  await transporter.sendMail({ to: 'ops@example.com' });\n  res.json({ id: info.messageId });\n}\n`,
      findings: [{ line: 5 }, { line: 9 }, { line: 10 }],
    },
    {
      name: 'readFileSync inside a callback in the handler: found, no fix (await cannot go there)',
      file: 'server.ts',
      code: `${EXPRESS}app.get('/bundle', (req, res) => {\n  res.send(['a.js', 'b.js'].map((f) => fs.readFileSync(f, 'utf8')).join(';'));\n});\n`,
      findings: [{ line: 5 }],
    },
    {
      name: 'tRPC procedure',
      file: 'router.ts',
      code: `import { readFileSync } from 'fs';\nexport const appRouter = router({\n  template: publicProcedure.query(() => readFileSync('t.html', 'utf8')),\n});\n`,
      findings: [{ line: 3, message: /trpc handler `template`/ }],
    },
  ],
});

ruleTests('blocking-call-in-handler', {
  valid: [
    {
      name: 'an imported helper that does not block',
      file: 'routes.ts',
      workspace: { 'format.ts': `export function title(s: string) {\n  return s.trim();\n}\n` },
      code: `import express from 'express';\nimport { title } from './format';\nconst app = express();\napp.get('/t', (req, res) => res.send(title(String(req.query.t))));\n`,
      why: 'nothing blocks behind it',
    },
    {
      name: 'an imported helper that blocks, called from a CLI script',
      file: 'scripts/build.ts',
      workspace: { 'templates.ts': `import fs from 'node:fs';\nexport function loadTemplate(name: string) {\n  return fs.readFileSync(name, 'utf8');\n}\n` },
      code: `import { loadTemplate } from '../templates';\nconsole.log(loadTemplate('a.html'));\n`,
      why: 'not a request path',
    },
  ],
  invalid: [
    {
      name: 'a helper imported from another file reads a file synchronously (chain across files)',
      file: 'routes.ts',
      workspace: { 'templates.ts': `import fs from 'node:fs';\nfunction read(name: string) {\n  return fs.readFileSync(name, 'utf8');\n}\nexport function loadTemplate(name: string) {\n  return read(\`views/\${name}.html\`);\n}\n` },
      code: `import express from 'express';\nimport { loadTemplate } from './templates';\nconst app = express();\napp.get('/page/:name', (req, res) => {\n  res.send(loadTemplate(req.params.name));\n});\n`,
      findings: [{ line: 5, message: /`fs\.readFileSync` blocks the event loop in `read`, which the express handler `GET \/page\/:name` calls \(`GET \/page\/:name` → `loadTemplate` → `read`\)/ }],
    },
    {
      name: 'CommonJS: a helper taken from require(), exported with exports.name, reads a file synchronously',
      file: 'routes.js',
      workspace: { 'templates.js': `const fs = require('fs');\nexports.loadTemplate = (name) => fs.readFileSync(\`views/\${name}.html\`, 'utf8');\n` },
      code: `const express = require('express');\nconst { loadTemplate } = require('./templates');\nconst app = express();\napp.get('/page/:name', (req, res) => {\n  res.send(loadTemplate(req.params.name));\n});\n`,
      findings: [{ line: 5, message: /`fs\.readFileSync` blocks the event loop in `loadTemplate`/ }],
    },
  ],
});

ruleTests('blocking-call-in-handler', {
  valid: [],
  invalid: [
    {
      name: 'execSync without an encoding returns a Buffer: the promisified exec is asked for one too (binary output stays intact)',
      file: 'thumb.js',
      code: `const { execSync } = require('child_process');\nconst express = require('express');\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  const png = execSync('convert in.png -resize 64x64 png:-');\n  res.type('png').send(png);\n});\n`,
      findings: [{ line: 5 }],
      output: `const { execSync } = require('child_process');\nconst express = require('express');\nconst { exec } = require('child_process');\nconst { promisify } = require('util');\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  const png = (await promisify(exec)('convert in.png -resize 64x64 png:-', { encoding: 'buffer' })).stdout;\n  res.type('png').send(png);\n});\n`,
    },
    {
      name: 'execSync with options but no encoding: the encoding joins them, before a spread that may name one',
      file: 'thumb.ts',
      code: `import express from 'express';\nimport { execSync } from 'node:child_process';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send(execSync('convert in.png png:-', { cwd: '/srv', ...limits }));\n});\n`,
      findings: [{ line: 5 }],
      output: `import express from 'express';\nimport { execSync, exec } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send((await promisify(exec)('convert in.png png:-', { encoding: 'buffer', cwd: '/srv', ...limits })).stdout);\n});\n`,
    },
    {
      name: 'execSync with options in a variable: spread after the encoding',
      file: 'thumb.ts',
      code: `import express from 'express';\nimport { execSync } from 'node:child_process';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send(execSync('convert in.png png:-', opts));\n});\n`,
      findings: [{ line: 5 }],
      output: `import express from 'express';\nimport { execSync, exec } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send((await promisify(exec)('convert in.png png:-', { encoding: 'buffer', ...opts })).stdout);\n});\n`,
    },
    {
      name: 'execFileSync with an argument list: the options come third',
      file: 'thumb.ts',
      code: `import express from 'express';\nimport { execFileSync } from 'node:child_process';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send(execFileSync('convert', ['in.png', 'png:-']));\n});\n`,
      findings: [{ line: 5 }],
      output: `import express from 'express';\nimport { execFileSync, execFile } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send((await promisify(execFile)('convert', ['in.png', 'png:-'], { encoding: 'buffer' })).stdout);\n});\n`,
    },
    {
      name: 'execSync whose output nobody reads: no encoding to keep, no stdout to read',
      file: 'jobs.ts',
      code: `import express from 'express';\nimport { execSync } from 'node:child_process';\nconst app = express();\napp.post('/compress', async (req, res) => {\n  execSync('gzip out.csv');\n  res.sendStatus(204);\n});\n`,
      findings: [{ line: 5 }],
      output: `import express from 'express';\nimport { execSync, exec } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst app = express();\napp.post('/compress', async (req, res) => {\n  await promisify(exec)('gzip out.csv');\n  res.sendStatus(204);\n});\n`,
    },
    {
      name: 'execFileSync(file, x): arguments or options, which is not known here: advice only',
      file: 'thumb.ts',
      code: `import express from 'express';\nimport { execFileSync } from 'node:child_process';\nconst app = express();\napp.get('/thumb', async (req, res) => {\n  res.send(execFileSync('convert', argv));\n});\n`,
      findings: [{ line: 5 }],
      noFix: true,
    },
  ],
});
