/**
 * The dashboards of the `proctor` scenario, in their own process: signs in as the board user, opens
 * one /proctor socket per room (as one invigilator's screen per room would), watches the room and
 * measures, for every seat update that carries a newer saved answer, the time from the answer's save
 * on the server to the update's arrival. Runs for `seconds`, then prints one JSON line.
 *
 * argv: base seconds
 */
import type { ProctorClientToServer, ProctorServerToClient, RoomRefDto } from '@exam/shared';
import { io as connect, type Socket } from 'socket.io-client';

type ProcSocket = Socket<ProctorServerToClient, ProctorClientToServer>;

const [base = '', secondsArg = '30'] = process.argv.slice(2);
const seconds = Number(secondsArg);

async function main(): Promise<void> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'benchboard', password: 'Bench@12345' }),
  });
  if (r.status !== 200) throw new Error(`board sign-in: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const roomsRes = await fetch(`${base}/api/proctor/rooms`, { headers: { cookie } });
  const rooms = (await roomsRes.json()) as RoomRefDto[];
  let errors = 0;
  let messages = 0;
  let seatUpdates = 0;
  let counting = false;
  const latencies: number[] = [];
  const lastSeen = new Map<number, number>();
  const sockets: ProcSocket[] = [];
  await Promise.all(
    rooms.map(
      (room) =>
        new Promise<void>((resolve) => {
          const sock: ProcSocket = connect(`${base}/proctor`, {
            path: '/socket.io',
            transports: ['websocket'],
            extraHeaders: { cookie },
            forceNew: true,
            reconnection: false,
          });
          sockets.push(sock);
          sock.on('connect_error', () => {
            errors++;
            resolve();
          });
          sock.on('disconnect', () => {
            if (counting) errors++;
          });
          sock.on('seats', (p) => {
            const now = Date.now();
            if (!counting) return;
            messages++;
            for (const seat of p.seats) {
              seatUpdates++;
              const saved = seat.lastSaveAt;
              if (saved === null || saved <= (lastSeen.get(seat.candidateId) ?? 0)) continue;
              lastSeen.set(seat.candidateId, saved);
              latencies.push(now - saved);
            }
          });
          sock.on('connect', () => {
            sock
              .timeout(30_000)
              .emitWithAck('watchRoom', { sittingId: room.sittingId, roomId: room.roomId })
              .then(
                (ack) => {
                  if (!ack.ok) errors++;
                  else for (const s of ack.data.seats) if (s.lastSaveAt !== null) lastSeen.set(s.candidateId, s.lastSaveAt);
                },
                () => errors++,
              )
              .finally(resolve);
          });
        }),
    ),
  );
  process.stderr.write(`[dashboards] watching ${rooms.length} rooms\n`);
  process.send?.({ ready: true });
  counting = true;
  const t0 = Date.now();
  await new Promise((res) => setTimeout(res, seconds * 1000));
  counting = false;
  const elapsed = (Date.now() - t0) / 1000;
  for (const s of sockets) s.disconnect();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? 0;
  console.log(
    JSON.stringify({
      rooms: rooms.length,
      messages,
      seatUpdates,
      samples: latencies.length,
      elapsedS: elapsed,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: latencies[latencies.length - 1] ?? 0,
      errors,
    }),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
