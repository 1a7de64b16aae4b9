// The PostgreSQL baseline of the `limit` scenario (issue 17): the least a server can do for the
// same load on PostgreSQL. A bare Socket.IO server on the same path and namespace, writing each
// answer with grouped commits (PgAnswerWriter: one transaction in flight, synchronous_commit = on)
// into an `answers` table of its own, acking after the COMMIT. No sign-in, no validation, no attempt
// state, nothing else.
import { createServer } from 'node:http';
import type { AnswerAck, CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import pg from 'pg';
import { Server } from 'socket.io';
import { PgAnswerWriter } from '../../db/pg/answerWriter.js';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: baselinePgServerWorker DATABASE_URL');
const setup = new pg.Client({ connectionString: url });
await setup.connect();
await setup.query(`CREATE TABLE IF NOT EXISTS answers (
  attempt_id integer NOT NULL, question_no integer NOT NULL, choice text NOT NULL, seq bigint NOT NULL, saved_at bigint NOT NULL,
  PRIMARY KEY (attempt_id, question_no))`);
await setup.end();
const writer = new PgAnswerWriter(url);

const http = createServer((_req, res) => {
  res.statusCode = 404;
  res.end();
});
const io = new Server<CandidateClientToServer, CandidateServerToClient>(http, { path: '/socket.io', serveClient: false });
io.of('/candidate').on('connection', (socket) => {
  socket.on('answer', (p, ack) => {
    const savedAt = Date.now();
    writer
      .enqueue({ attemptId: p.attemptId, questionNo: p.questionNo, choice: JSON.stringify(p.choice), seq: p.seq, savedAt })
      .then(
        (applied) => ack({ ok: true, seq: p.seq, savedAt, applied } satisfies AnswerAck),
        () => ack({ ok: false, code: 'SAVE_FAILED', message: 'not saved', seq: p.seq }),
      );
  });
  socket.on('sync', (_p, ack) => ack({ serverNow: Date.now(), timing: null }));
});
http.listen(0, '127.0.0.1', () => {
  const a = http.address();
  console.log(`baseline listening at http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
});
process.on('SIGTERM', () => {
  void io.close();
  void writer.close().then(() => process.exit(0));
});
