import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_NGINX_OPTIONS, renderNginxConfig } from '../src/cluster/nginx.js';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * The shipped nginx configuration (issue 17), run for real in front of an app node: health,
 * candidate sign-in with the client's own address passed on, Socket.IO over long-polling and over
 * WebSocket, and the 16 KB limit on candidate routes enforced at the edge. `.ci/run` installs
 * Debian's nginx; a machine without it skips this file and says so.
 */

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** An HTTP request from a chosen loopback source address (nginx sees it as the client's address). */
function send(
  url: string,
  opts: { method?: string; body?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<{ status: number; body: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.from ?? '127.0.0.1' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe.skipIf(!NGINX)('nginx in front of a node (deploy/nginx/exam.conf)', () => {
  let t: TestApp;
  let nginx: ChildProcess | null = null;
  let prefix: string;
  let edge: string;
  let ctx: Awaited<ReturnType<typeof readyExam>>;

  beforeAll(async () => {
    // behind one proxy hop the app takes the client's address from X-Forwarded-For (TRUST_PROXY=1)
    t = await makeApp({ trustProxy: 1 });
    const s = await seedBank(t);
    ctx = await readyExam(t, s, { candidates: 2 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address();
    const nodePort = addr && typeof addr === 'object' ? addr.port : 0;
    const port = await freePort();
    edge = `http://127.0.0.1:${port}`;
    prefix = mkdtempSync(join(tmpdir(), 'exam-nginx-'));
    for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, d));
    const conf = join(prefix, 'nginx.conf');
    const root = process.getuid?.() === 0;
    writeFileSync(
      conf,
      renderNginxConfig({
        upstreams: [`127.0.0.1:${nodePort}`],
        listen: `127.0.0.1:${port}`,
        prefix,
        workerProcesses: 1,
        // as root, nginx's workers would otherwise run as nobody, who cannot write the private prefix
        ...(root ? { user: userInfo().username } : {}),
      }),
    );
    if (!NGINX) throw new Error('nginx missing');
    execFileSync(NGINX, ['-t', '-q', '-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf]);
    nginx = spawn(NGINX, ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf], { stdio: 'ignore' });
    // bounded wait until nginx answers
    for (let i = 0; i < 100; i++) {
      try {
        const r = await send(`${edge}/api/health`);
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    if (nginx?.pid) {
      const exited = new Promise((r) => nginx?.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await t?.close();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('the shipped example is the renderer’s output and nginx accepts it', () => {
    const shipped = readFileSync(new URL('../../deploy/nginx/exam.conf', import.meta.url), 'utf8');
    expect(shipped).toBe(renderNginxConfig(EXAMPLE_NGINX_OPTIONS));
  });

  it('passes health, sign-in with the client’s address, Socket.IO (polling and WebSocket), and refuses big candidate bodies', async () => {
    expect(JSON.parse((await send(`${edge}/api/health`)).body)).toEqual({ status: 'ok' });

    const p = ctx.pins[0];
    if (!p) throw new Error('no pin');
    const login = await send(`${edge}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: p.number, pin: p.pin, deviceId: 'device-behind-nginx' }),
      from: '127.0.0.7',
    });
    expect(login.status).toBe(200);
    // the node saw the lab PC's address, not nginx's: sign-in limits and the seat map are per PC
    const ip: unknown = t.db.$client
      .prepare('SELECT ip FROM candidate_devices WHERE candidate_id = ?')
      .pluck()
      .get(p.candidateId);
    expect(ip).toBe('127.0.0.7');
    const cookie = (login.setCookie[0] ?? '').split(';')[0] ?? '';

    for (const transports of [['polling'], ['websocket']] as const) {
      const sock = connect(`${edge}/candidate`, {
        path: '/socket.io',
        transports: [...transports],
        extraHeaders: { cookie },
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        sock.on('connect', () => resolve());
        sock.on('connect_error', reject);
      });
      const ack = await sock.timeout(10_000).emitWithAck('sync', { clientNow: Date.now() });
      expect(ack).toMatchObject({ serverNow: expect.any(Number) });
      expect(sock.io.engine.transport.name).toBe(transports[0]);
      sock.disconnect();
    }

    // 64 KB to a candidate route: refused by nginx (413) before the node reads a byte
    const big = await send(`${edge}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: p.number, pin: 'x'.repeat(64 * 1024), deviceId: 'd' }),
    });
    expect(big.status).toBe(413);
    // staff upload routes may carry more: the node answers (401 without a session), not nginx
    const upload = await send(`${edge}/api/subjects/1/import?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'x'.repeat(64 * 1024),
    });
    expect(upload.status).toBe(401);
  });
});
