// Child process of the import benchmark: a real app on a fresh database imports one file (XLSX, Word, Moodle XML, QTI…).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_FORMATS, type ImportFormat } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { parseImport } from '../../modules/banks/formats/index.js';
import { prepareBankImport } from '../../modules/banks/importPrepare.js';
import { BANK_IMPORT_MAX_ROWS } from '../../modules/imports/limits.js';
import { UserService } from '../../modules/users/service.js';

const [file, dir, format = 'xlsx', stages] = process.argv.slice(2);
if (!file || !dir) throw new Error('usage: importWorker FILE DIR [FORMAT] [stages]');
const fmt: ImportFormat | undefined = IMPORT_FORMATS.find((f) => f === format);
if (!fmt) throw new Error(`unknown format ${format}`);

/**
 * Peak RSS of this process's children (the import process the server forks for each file), from
 * /proc/<pid>/status VmHWM, sampled while the import runs: `process.resourceUsage()` counts this
 * process only. Linux only; 0 where /proc has no children list.
 */
function childPeakKb(): number {
  let peak = 0;
  try {
    for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
      const kids = readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      for (const pid of kids) {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m?.[1]) peak = Math.max(peak, Number(m[1]));
      }
    }
  } catch {
    // a child that ended between the listing and the read
  }
  return peak;
}

const body = readFileSync(file);

// --stages: the reading and checking timed in this process before the real import (no server)
const stageMs: Record<string, number> = {};
if (stages === 'stages') {
  let t = performance.now();
  const parsed = await parseImport(fmt, body, { maxRows: BANK_IMPORT_MAX_ROWS });
  stageMs.parseMs = Math.round(performance.now() - t);
  t = performance.now();
  await prepareBankImport({
    format: fmt,
    data: body,
    maxRows: BANK_IMPORT_MAX_ROWS,
    subjectCode: 'BENCH',
    existingTopics: parsed.topics.map((x) => x.code),
    existingRefs: [],
    board: true,
    keepReady: true,
  });
  // parse again + NFC, sanitizing, content rules, refs and duplicates, the chunks for the writer
  stageMs.prepareMs = Math.round(performance.now() - t);
  stageMs.cleanMs = stageMs.prepareMs - stageMs.parseMs;
}

const config = loadConfig({ DATA_DIR: join(dir, 'data') }, { clientDir: null });
const { app, db } = await buildApp(config);
await new UserService(db).create(
  { id: null, name: 'bench' },
  { username: 'bench', fullName: 'Bench', password: 'Bench@12345', roles: ['board'] },
);
const login = await app.inject({
  method: 'POST',
  url: '/api/auth/login',
  payload: { username: 'bench', password: 'Bench@12345' },
});
const cookie = `session=${login.cookies.find((c) => c.name === 'session')?.value}`;
const subj = await app.inject({
  method: 'POST',
  url: '/api/subjects',
  headers: { cookie },
  payload: { code: 'BENCH', name: 'Bench' },
});
const subjectId = Value.Parse(Type.Object({ id: Type.Number() }), subj.json()).id;
let importPeakKb = 0;
const sampler = setInterval(() => {
  importPeakKb = Math.max(importPeakKb, childPeakKb());
}, 50);
const t0 = performance.now();
const res = await app.inject({
  method: 'POST',
  url: `/api/subjects/${subjectId}/import?format=${fmt}&dryRun=false`,
  headers: { cookie, 'content-type': 'application/octet-stream' },
  payload: body,
});
const ms = Math.round(performance.now() - t0);
clearInterval(sampler);
const Reply = Type.Object({
  created: Type.Optional(Type.Number()),
  errors: Type.Optional(Type.Number()),
  error: Type.Optional(Type.Object({ code: Type.String() })),
});
const raw: unknown = res.json();
const rep = Value.Check(Reply, raw) ? raw : {};
await app.close();
console.log(
  JSON.stringify({
    ms,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    importPeakRssMb: Math.round(importPeakKb / 1024),
    status: res.statusCode,
    code: rep.error?.code ?? null,
    created: rep.created ?? 0,
    errors: rep.errors ?? 0,
    ...stageMs,
  }),
);
