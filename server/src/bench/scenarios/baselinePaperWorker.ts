// The baseline of the `start-burst` scenario's cold case: the least a server can do to hand out
// the same stored paper views. A bare Fastify server on the same route, reading the candidate's
// stored view (paper_views) from the same SQLite file per request and sending it in the same
// response shape as ours. No session, no checks, no attempt, nothing else; the candidate is named
// by the benchmark's `bench` cookie.
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [dbFile] = process.argv.slice(2);
if (!dbFile) throw new Error('usage: baselinePaperWorker DB_FILE');
const sqlite = new Database(dbFile, { readonly: true, fileMustExist: true });
// the least a server can do: one prepared statement, its one column checked to be the stored bytes
const view = sqlite
  .prepare(`SELECT v.view FROM paper_views v JOIN candidates c ON c.id = v.candidate_id WHERE c.number = ? AND v.part_id = ?`)
  .pluck();
const CLOSE = Buffer.from('}');
const app = Fastify({ logger: false });
app.post<{ Params: { partId: string } }>('/api/candidate/parts/:partId/start', async (req, reply) => {
  const number = /(?:^|;\s*)bench=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
  const stored: unknown = view.get(number, Number(req.params.partId));
  if (!Buffer.isBuffer(stored)) return reply.status(404).send({ error: { code: 'NOT_FOUND' } });
  const head = JSON.stringify({
    attemptId: 0,
    partId: Number(req.params.partId),
    partName: '',
    answers: {},
    flags: [],
    lastSeq: 0,
  });
  // the bytes as stored, as ours sends them (no decoding to a string and back)
  return reply.type('application/json').send(Buffer.concat([Buffer.from(`${head.slice(0, -1)},"questions":`), stored, CLOSE]));
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`baseline listening at ${address}`);
process.on('SIGTERM', () => {
  void app.close().then(() => {
    sqlite.close();
    process.exit(0);
  });
});
