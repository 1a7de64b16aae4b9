// Child process of the import benchmark: a real app on a fresh database imports one file (XLSX, Word, Moodle XML, QTI…).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { UserService } from '../../modules/users/service.js';

const [file, dir, format = 'xlsx'] = process.argv.slice(2);
if (!file || !dir) throw new Error('usage: importWorker FILE DIR');
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
const subjectId = (subj.json() as { id: number }).id;
const body = readFileSync(file);
const t0 = performance.now();
const res = await app.inject({
  method: 'POST',
  url: `/api/subjects/${subjectId}/import?format=${format}&dryRun=false`,
  headers: { cookie, 'content-type': 'application/octet-stream' },
  payload: body,
});
const ms = Math.round(performance.now() - t0);
const rep = res.json() as { created?: number; errors?: number; code?: string };
await app.close();
console.log(
  JSON.stringify({
    ms,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    status: res.statusCode,
    code: rep.code ?? null,
    created: rep.created ?? 0,
    errors: rep.errors ?? 0,
  }),
);
