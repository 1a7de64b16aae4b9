// A load-generator process of the delivery benchmarks: simulates its share of candidates, each
// with its own HTTP session (cookie) and its own Socket.IO connection, as a lab PC would. Driven by
// the parent over IPC (loadLib.ts). The candidates and their HTTP client and socket live in
// candidateClientLib.ts, their answering in candidateAnswerLib.ts, the other phases in
// candidatePhasesLib.ts.
import { Agent } from 'node:http';
import { answerLoad, flushPending } from './candidateAnswerLib.js';
import { fail, http, login, message, openSocket, phase, pool, startPart, worker } from './candidateClientLib.js';
import { burst, opening, prefetch, resume, sync, verify } from './candidatePhasesLib.js';
import type { Command, Params, PhaseResult, Reply, Results } from './loadLib.js';
import { sourceAddress } from './loadLib.js';

async function handle(cmd: Command): Promise<Results[keyof Results]> {
  switch (cmd.cmd) {
    case 'init':
      return init(cmd.p);
    case 'login': {
      const r = phase();
      await pool(worker.clients, cmd.p.concurrency, async (c) => {
        try {
          await login(c);
        } catch (e) {
          fail(r, c, message(e));
        }
      });
      return r;
    }
    case 'connect': {
      const r = phase();
      const at = cmd.p.base ?? worker.base;
      await pool(worker.clients, cmd.p.concurrency, async (c) => {
        try {
          await openSocket(c, at, flushPending);
        } catch (e) {
          fail(r, c, `connect: ${message(e)}`);
        }
      });
      return r;
    }
    case 'sync':
      return sync();
    case 'start': {
      const r = phase();
      await pool(worker.clients, cmd.p.concurrency, async (c) => {
        try {
          c.attempt = await startPart(c, cmd.p.partId);
          c.seq = Math.max(c.seq, c.attempt.lastSeq);
        } catch (e) {
          fail(r, c, message(e));
        }
      });
      return r;
    }
    case 'burst':
      return burst(cmd.p.partId, cmd.p.scheduledAt, cmd.p.base);
    case 'acknowledge': {
      const r = phase();
      await pool(worker.clients, cmd.p.concurrency, async (c) => {
        try {
          const res = await http('POST', '/api/candidate/acknowledge', c.cookie);
          if (res.status !== 200) throw new Error(`acknowledge ${res.status} ${res.text}`);
        } catch (e) {
          fail(r, c, message(e));
        }
      });
      return r;
    }
    case 'prefetch':
      return prefetch(cmd.p.concurrency);
    case 'opening':
      return opening(cmd.p.scheduledAt, cmd.p.timeoutMs);
    case 'answer':
      return answerLoad(cmd.p);
    case 'verify':
      return verify(cmd.p.dbFile, cmd.p.what);
    case 'resume':
      return resume(cmd.p);
    case 'disconnect':
      for (const c of worker.clients) {
        c.sock?.disconnect();
        c.sock = null;
      }
      return phase();
  }
}

function init(p: Params['init']): PhaseResult {
  worker.base = p.base;
  worker.pin = p.pin;
  worker.agent.destroy();
  worker.agent = new Agent({ keepAlive: true, maxSockets: p.httpConns });
  worker.clients = p.numbers.map((number, i) => ({
    number,
    localAddress: sourceAddress((p.firstIndex ?? 0) + i, p.sourceAddresses ?? 1),
    sealed: null,
    openedAt: 0,
    openError: '',
    keyWithAttempt: false,
    deviceId: `bench-${p.deviceTag}-${i}-${number}`,
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
  }));
  return phase();
}

// the parent speaks the protocol of loadLib.ts (the same program, compiled together)
process.on('message', (m: Command) => {
  handle(m).then(
    (result) => process.send?.({ id: m.id, ok: true, result } satisfies Reply),
    (e: unknown) =>
      process.send?.({ id: m.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Reply),
  );
});
// the parent is gone (or closed the channel): close everything and leave
process.on('disconnect', () => {
  for (const c of worker.clients) c.sock?.disconnect();
  worker.agent.destroy();
  setTimeout(() => process.exit(0), 200).unref();
});
