import type { ImportReport } from '@exam/shared';
import { exportBank } from '../../modules/banks/formats/index.js';
import { BANK_IMPORT_MAX_ROWS } from '../../modules/imports/limits.js';
import { generateBank } from './import.js';
import { log, num, quantile, round1, sleep } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';
import { procStats } from './serverLib.js';

/**
 * `import-under-load [--candidates N] [--questions Q] [--seconds T] [--rate S] [--start W]`: N
 * candidates (default 2,000) holding their papers, each changing one answer every S seconds (default
 * 6) for T seconds (default 60), while from W seconds in (default 5) the board dry-runs and then
 * imports the largest allowed XLSX (Q questions, default the row limit) through the HTTP route.
 * `ackP99Ms`: p99 ack latency of the changes made while the dry run or the import was running
 * (`ackP99OutsideMs`: of the others); `dryRunMs`, `importMs`: the two requests as the board sees them.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const rateS = num(args, 'rate', 6);
  const seconds = num(args, 'seconds', 60);
  const startS = num(args, 'start', 5);
  const questions = Math.max(1, Math.floor(num(args, 'questions', BANK_IMPORT_MAX_ROWS)));
  const t0 = performance.now();
  const xlsx = await exportBank('xlsx', generateBank(questions, 'IMP'));
  log(
    `generated a ${questions}-question XLSX (${(xlsx.length / 1024 / 1024).toFixed(1)} MB) in ${Math.round(performance.now() - t0)} ms`,
  );
  const rig = await createRig('import-under-load', args, 2000, true);
  try {
    await signInAndConnect(rig);
    await rig.step('load papers', 'start', { partId: rig.exam.partId, concurrency: 32 });
    const base = rig.server.base;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'benchboard', password: 'Bench@12345' }),
    });
    if (login.status !== 200) throw new Error(`board sign-in: ${login.status}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const subj = await fetch(`${base}/api/subjects`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'IMP', name: 'Môn nhập thử' }),
    });
    const subject = (await subj.json()) as { id?: number };
    if (typeof subject.id !== 'number') throw new Error(`create subject: ${subj.status}`);
    const importOnce = async (dryRun: boolean) => {
      const s0 = performance.now();
      const r = await fetch(`${base}/api/subjects/${subject.id}/import?format=xlsx&dryRun=${dryRun}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/octet-stream' },
        body: xlsx,
      });
      const body = (await r.json()) as ImportReport;
      if (r.status !== 200) throw new Error(`import (dryRun=${dryRun}): ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: Math.round(performance.now() - s0), report: body };
    };

    const cpu0 = procStats(rig.server.pid).cpuS;
    log(
      `answering: ${rig.candidates} candidates, one change every ${rateS} s for ${seconds} s; the import starts at ${startS} s`,
    );
    const importing = (async () => {
      await sleep(startS * 1000);
      const from = Date.now();
      const dry = await importOnce(true);
      log(`dry run: ${dry.ms} ms, ${dry.report.questions} questions, ${dry.report.errors} errors`);
      const real = await importOnce(false);
      log(`import: ${real.ms} ms, ${real.report.created} created`);
      return { dry, real, window: { from, to: Date.now() } };
    })();
    const [res, imp] = await Promise.all([
      rig.step('answering', 'answer', { rateMs: rateS * 1000, seconds, warmupMs: 2000, drainMs: 15_000 }),
      importing,
    ]);
    const w = imp.window;
    const during: number[] = [];
    const outside: number[] = [];
    for (const r of res) {
      r.latencies.forEach((ms, i) => {
        const at = r.madeAts[i] ?? 0;
        (at >= w.from && at <= w.to ? during : outside).push(ms);
      });
    }
    during.sort((a, b) => a - b);
    outside.sort((a, b) => a - b);
    const overran = w.to > Math.min(...res.map((r) => r.madeAts[r.madeAts.length - 1] ?? 0));
    if (overran) log('the import outlasted the answering: raise --seconds to cover all of it');
    const end = procStats(rig.server.pid);
    return {
      scenario: 'import-under-load',
      candidates: rig.candidates,
      questions,
      xlsxMb: round1(xlsx.length / 1024 / 1024),
      ackP99Ms: round1(quantile(during, 0.99)),
      ackP95Ms: round1(quantile(during, 0.95)),
      ackP50Ms: round1(quantile(during, 0.5)),
      ackMaxMs: round1(during[during.length - 1] ?? 0),
      acksDuringImport: during.length,
      ackP99OutsideMs: round1(quantile(outside, 0.99)),
      dryRunMs: imp.dry.ms,
      importMs: imp.real.ms,
      created: imp.real.report.created,
      importErrors: imp.real.report.errors,
      importOverran: overran ? 1 : 0,
      errors: rig.errors + res.reduce((s, r) => s + r.pending, 0),
      rateS,
      seconds,
      serverCpuS: round1(end.cpuS - cpu0),
      serverPeakRssMb: Math.round(end.hwmKb / 1024),
    };
  } finally {
    await rig.close();
  }
}
