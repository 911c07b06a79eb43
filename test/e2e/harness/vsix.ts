/**
 * The VSIX as users get it: `npm run package`, once per test run. Packaging leaves the production
 * (minified, map-less) bundles in server/out; the development bundles are put back afterwards so
 * the rest of the suite and the developer's next run see what `npm run build` made.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { REPO_ROOT } from '../../harness/engine';
import { ARTIFACTS } from './environment';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
export const VSIX_PATH = path.join(REPO_ROOT, `perflens-${VERSION}.vsix`);
export const PACKAGE_TIMEOUT_MS = 3 * 60_000;

function run(command: string, args: string[], logFile: string): Promise<void> {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', out, out] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), PACKAGE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(out);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}); see ${logFile}`));
    });
  });
}

let packaged: Promise<string> | undefined;

/** Path of the freshly packaged `perflens-<version>.vsix`. */
export function packagedVsix(): Promise<string> {
  return (packaged ??= (async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const logFile = path.join(ARTIFACTS, 'package.log');
    fs.writeFileSync(logFile, '');
    fs.rmSync(VSIX_PATH, { force: true });
    try {
      await run('npm', ['run', 'package'], logFile);
    } finally {
      await run(process.execPath, ['scripts/bundle.mjs'], logFile);
    }
    if (!fs.existsSync(VSIX_PATH)) throw new Error(`npm run package did not write ${VSIX_PATH}; see ${logFile}`);
    return VSIX_PATH;
  })());
}

/** The entries of a zip archive (a VSIX is one), read from its central directory. */
export function readZip(file: string): Map<string, Buffer> {
  const zip = fs.readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (!name.endsWith('/')) entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Unpacks the VSIX's `extension/` folder into `dir` (as an editor does when it installs it). */
export function unpackVsix(vsix: string, dir: string): string {
  for (const [name, data] of readZip(vsix)) {
    if (!name.startsWith('extension/')) continue;
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  }
  return path.join(dir, 'extension');
}
