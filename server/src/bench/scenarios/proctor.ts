import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { jsonChecker } from './jsonLib.js';
import { log, num, quantile, round1, sortedOf } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';
import { procStats, track } from './serverLib.js';
import { ROOM_SEATS } from './setupLib.js';

/** What proctorDashboardWorker.ts prints as its last line, checked when it arrives. */
const DashboardReportSchema = Type.Object({
  rooms: Type.Integer(),
  messages: Type.Integer(),
  seatUpdates: Type.Integer(),
  samples: Type.Integer(),
  elapsedS: Type.Number(),
  p50: Type.Number(),
  p95: Type.Number(),
  p99: Type.Number(),
  max: Type.Number(),
  errors: Type.Integer(),
});
const parseDashboardReport = jsonChecker('dashboard worker report', DashboardReportSchema);

/**
 * `proctor --rooms R --per-room P [--seconds T] [--rate S]`: R rooms of P candidates (P ≤ 60) answering
 * (one change every S seconds each, default 6) while one dashboard per room watches its seat map
 * from another process. `dashboardP95Ms`: p95 time from an answer's save on the server to the seat
 * update reaching the dashboard; `dashboardMsgsPerSec`: messages per second sent to all dashboards.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const rooms = Math.max(1, Math.floor(num(args, 'rooms', 50)));
  const perRoom = Math.max(1, Math.min(ROOM_SEATS, Math.floor(num(args, 'per-room', ROOM_SEATS))));
  if (perRoom !== ROOM_SEATS && rooms > 1) log(`rooms hold ${ROOM_SEATS}; ${perRoom} per room fills the first rooms only`);
  const seconds = num(args, 'seconds', 30);
  const rateS = num(args, 'rate', 6);
  const rig = await createRig('proctor', { ...args, candidates: String(rooms * perRoom) }, rooms * perRoom, true);
  try {
    await signInAndConnect(rig);
    await rig.step('load papers', 'start', { partId: rig.exam.partId, concurrency: 32 });

    // the dashboards, in their own process, ready before the load starts
    const worker = fileURLToPath(new URL('proctorDashboardWorker.js', import.meta.url));
    const child = spawn(process.execPath, [worker, rig.server.base, String(seconds + 2)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    track(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const done = new Promise<ReturnType<typeof parseDashboardReport>>((resolve, reject) => {
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`dashboard worker exited ${code}`));
        try {
          resolve(parseDashboardReport(out.trim().split('\n').pop() ?? '{}'));
        } catch (e) {
          reject(e);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('dashboards not ready in 60 s')), 60_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
    });

    const cpu0 = procStats(rig.server.pid).cpuS;
    log(`answering: ${rig.candidates} candidates, one change every ${rateS} s each, for ${seconds} s; ${rooms} dashboards`);
    const res = await rig.step('answering', 'answer', { rateMs: rateS * 1000, seconds, warmupMs: 1000, drainMs: 15_000 });
    const dash = await done;
    const end = procStats(rig.server.pid);
    const lat = sortedOf(res.map((r) => r.latencies));
    const pending = res.reduce((s, r) => s + r.pending, 0);
    return {
      scenario: 'proctor',
      rooms: dash.rooms,
      perRoom,
      candidates: rig.candidates,
      dashboardP50Ms: dash.p50,
      dashboardP95Ms: dash.p95,
      dashboardP99Ms: dash.p99,
      dashboardMaxMs: dash.max,
      dashboardMsgsPerSec: round1(dash.messages / dash.elapsedS),
      seatUpdatesPerSec: round1(dash.seatUpdates / dash.elapsedS),
      samples: dash.samples,
      answersPerSec: round1(res.reduce((s, r) => s + r.ackedCounted, 0) / seconds),
      ackP99Ms: round1(quantile(lat, 0.99)),
      errors: rig.errors + pending + dash.errors,
      serverCpuS: round1(end.cpuS - cpu0),
      serverPeakRssMb: Math.round(end.hwmKb / 1024),
    };
  } finally {
    await rig.close();
  }
}
