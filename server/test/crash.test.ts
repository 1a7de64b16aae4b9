import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnswerAck, AttemptDto, CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import Database from 'better-sqlite3';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { makeApp, readyExam, seedBank } from './helpers.js';

/**
 * The crash test of issue 4: the built server runs as a child process, 200 candidates answer over
 * Socket.IO, the server is killed with SIGKILL mid-stream and started again on the same data
 * directory. Every answer that was acked must be in the database, and every candidate resumes.
 * Needs the compiled server (npm test builds it before the unit tests).
 */
const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');
const CANDIDATES = 200;
const PIN = '246810';
type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOGIN_RATE_LIMIT: '100000',
      LOG_LEVEL: 'error',
      ADMIN_PASSWORD: 'Admin@12345',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s')), 30_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, base: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

async function login(base: string, number: string, deviceId: string): Promise<string> {
  const r = await fetch(`${base}/api/candidate/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number, pin: PIN, deviceId }),
  });
  if (r.status !== 200) throw new Error(`login ${number}: ${r.status} ${await r.text()}`);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function start(base: string, cookie: string, partId: number): Promise<AttemptDto> {
  const r = await fetch(`${base}/api/candidate/parts/${partId}/start`, { method: 'POST', headers: { cookie } });
  if (r.status !== 200) throw new Error(`start: ${r.status} ${await r.text()}`);
  return (await r.json()) as AttemptDto;
}

async function inBatches<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('crash', () => {
  it('kill -9 mid-stream loses no acked answer, and every candidate resumes', async () => {
    // a ready exam on a data directory the child server will use
    const t = await makeApp();
    const s = await seedBank(t);
    const { partId, pins } = await readyExam(t, s, { candidates: CANDIDATES, durationMin: 60, pin: PIN });
    const dataDir = t.dir;
    await t.app.close();
    try {
      let server = await startServer(dataDir);
      const people = pins.map((p, i) => ({ number: p.number, deviceId: `lab-pc-${i}` }));
      const sessions = await inBatches(people, 25, async (p) => {
        const cookie = await login(server.base, p.number, p.deviceId);
        const attempt = await start(server.base, cookie, partId);
        const sock: CandSocket = connect(`${server.base}/candidate`, {
          path: '/socket.io',
          transports: ['websocket'],
          extraHeaders: { cookie },
          reconnection: false,
        });
        await new Promise<void>((ok, bad) => {
          sock.on('connect', () => ok());
          sock.on('connect_error', bad);
        });
        return { ...p, cookie, attempt, sock };
      });
      // everyone answers as fast as acks come back; the server is killed while answers are in flight
      const acked = new Map<string, number>(); // `${attemptId}:${q}` -> highest acked seq
      let sent = 0;
      let stop = false;
      const loops = sessions.map(async (c, i) => {
        let seq = 0;
        while (!stop) {
          seq++;
          const q = ((seq + i) % c.attempt.questions.length) + 1;
          const opts = c.attempt.questions[q - 1]?.options ?? [];
          const choice = [opts[seq % opts.length]?.id ?? ''];
          sent++;
          try {
            const ack = (await c.sock
              .timeout(3000)
              .emitWithAck('answer', { attemptId: c.attempt.attemptId, questionNo: q, choice, seq })) as AnswerAck;
            if (ack.ok) {
              const k = `${c.attempt.attemptId}:${q}`;
              acked.set(k, Math.max(acked.get(k) ?? 0, ack.seq));
            }
          } catch {
            return; // the server is gone
          }
        }
      });
      await new Promise((r) => setTimeout(r, 1500));
      server.child.kill('SIGKILL');
      stop = true;
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5000))]);
      for (const c of sessions) c.sock.disconnect();
      expect(acked.size).toBeGreaterThan(100);

      // every acked answer is on disk, with at least the acked seq
      const db = new Database(`${dataDir}/exam.db`, { readonly: true });
      const seqOf = db.prepare('SELECT seq FROM answers WHERE attempt_id = ? AND question_no = ?').pluck();
      const lost = [...acked].filter(([k, seq]) => {
        const [a, q] = k.split(':').map(Number);
        return ((seqOf.get(a, q) as number | undefined) ?? 0) < seq;
      });
      db.close();
      expect(lost).toEqual([]);

      // the server comes back and every candidate resumes the same attempt
      server = await startServer(dataDir);
      const resumed = await inBatches(sessions, 25, async (c) => {
        const cookie = await login(server.base, c.number, c.deviceId);
        const a = await start(server.base, cookie, partId);
        return a.attemptId === c.attempt.attemptId && a.timing.state === 'running';
      });
      expect(resumed.filter(Boolean)).toHaveLength(CANDIDATES);
      console.log(`crash: ${CANDIDATES} candidates, ${sent} answers sent, ${acked.size} acked answer slots checked, 0 lost`);
      server.child.kill('SIGKILL');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
