// Runs one tool process and measures it: wall time around the process, and where GNU time is
// installed (/usr/bin/time, Debian package `time`) the exact user+sys CPU time and peak RSS of the
// process tree's largest process.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

let seq = 0;

/**
 * { cmd, args, cwd, env } → { wall (s), cpu (s), rssKB, status, stdout, stderr }. Output goes to
 * files, not pipes, so that a tool writing a large report is not slowed by the reader.
 */
export function measure({ cmd, args, cwd, env }) {
  const base = join(tmpdir(), `perflens-bench-${process.pid}-${seq++}`);
  const outFile = `${base}.out`;
  const errFile = `${base}.err`;
  const timeFile = `${base}.time`;
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const [c, a] = hasGnuTime ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const res = spawnSync(c, a, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, err] });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(out);
  closeSync(err);
  const stdout = readFileSync(outFile, 'utf8');
  const stderr = readFileSync(errFile, 'utf8');
  let cpu = NaN;
  let rssKB = NaN;
  if (hasGnuTime && existsSync(timeFile)) {
    // GNU time's last line is ours; lines before it are its own notes ("Command exited with…").
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [u, s, m] = last.split(' ').map(Number);
    if ([u, s, m].every(Number.isFinite)) {
      cpu = u + s;
      rssKB = m;
    }
  }
  for (const f of [outFile, errFile, timeFile]) rmSync(f, { force: true });
  return { wall, cpu, rssKB, status: res.error ? -1 : res.status, error: res.error, stdout, stderr };
}
