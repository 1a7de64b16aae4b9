import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { afterAll, describe, expect, it } from 'vitest';
import { type Client, openSocket } from '../src/bench/scenarios/candidateClientLib.js';
import { SOCKETS_PER_SOURCE, sourceAddress } from '../src/bench/scenarios/loadLib.js';
import { serverFileLimit } from '../src/bench/scenarios/serverLib.js';

/**
 * The load generator of `npm run bench` at the sizes of issue 17: past 10,000 candidates its
 * sockets leave from several loopback source addresses (one address has ~28,000 ephemeral ports
 * towards one server port), and a run whose sockets cannot fit under the server's open-files
 * limit is refused up front with that limit in its JSON, not run into thousands of connect errors.
 */
const RUN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bench/run.js');

function client(number: string, localAddress: string | undefined): Client {
  return {
    number,
    localAddress,
    sealed: null,
    openedAt: 0,
    openError: '',
    keyWithAttempt: false,
    deviceId: `test-${number}`,
    cookie: '',
    attempt: null,
    sock: null,
    offset: 0,
    seq: 0,
    pending: new Map(),
    inflight: new Map(),
    finals: new Map(),
    acked: new Map(),
    offline: false,
  };
}

describe('bench load generator', () => {
  const http = createServer();
  const io = new Server(http, { path: '/socket.io' });
  afterAll(async () => {
    await io.close();
  });

  it('spreads 25,000 candidates over enough loopback source addresses, each well under its ports', () => {
    const n = Math.ceil(25_000 / SOCKETS_PER_SOURCE);
    expect(n).toBeGreaterThan(1);
    const perAddress = new Map<string, number>();
    for (let i = 0; i < 25_000; i++) {
      const a = sourceAddress(i, n) ?? '127.0.0.1';
      perAddress.set(a, (perAddress.get(a) ?? 0) + 1);
    }
    expect([...perAddress.keys()].sort()).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    for (const count of perAddress.values()) expect(count).toBeLessThanOrEqual(SOCKETS_PER_SOURCE);
    // up to 10,000 candidates: the system picks the source address
    expect(sourceAddress(5, 1)).toBeUndefined();
  });

  it("binds each candidate's socket to its source address (the server sees it)", async () => {
    // the candidates connect one after another: the server sees them in that order
    const seen: string[] = [];
    io.of('/candidate').on('connection', (socket) => {
      seen.push(socket.handshake.address);
    });
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
    const { port } = http.address() as AddressInfo;
    const clients = Array.from({ length: 6 }, (_, i) => client(String(i), sourceAddress(i, 3)));
    try {
      for (const c of clients) {
        await openSocket(c, `http://127.0.0.1:${port}`, () => {});
        c.sock?.disconnect();
      }
    } finally {
      for (const c of clients) c.sock?.disconnect();
    }
    expect(seen).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.1', '127.0.0.2', '127.0.0.3']);
  });

  const limit = serverFileLimit();
  it.skipIf(limit === null || !Number.isFinite(limit))(
    'refuses a run that cannot fit under the server open-files limit, naming the limit',
    async () => {
      const candidates = Number(limit) + 1;
      const p = spawn(process.execPath, [RUN, 'steady', '--candidates', String(candidates), '--no-report', 'true'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      p.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const code = await new Promise<number | null>((ok) => p.on('exit', ok));
      expect(code).toBe(3);
      const r: unknown = JSON.parse(out.trim().split('\n').pop() ?? '{}');
      expect(r).toMatchObject({
        scenario: 'steady',
        candidates,
        ran: false,
        refused: 'FD_LIMIT',
        fdLimit: limit,
      });
      expect(r).toHaveProperty('maxCandidates');
      expect(err).toContain(`open-files limit is ${limit}`);
      // nothing was started: no exam prepared, no server
      expect(err).not.toContain('preparing an exam');
    },
    60_000,
  );
});
