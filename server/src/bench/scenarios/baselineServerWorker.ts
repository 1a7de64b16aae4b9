// The baseline of the `limit` scenario: the least a server can do for the same load. A bare
// Socket.IO server on the same path and namespace, writing each answer with the same upsert through
// the same CommitQueue (grouped commits) into SQLite in WAL mode with synchronous=FULL, acking after
// the COMMIT. No sign-in, no validation, no attempt state, nothing else.
import { createServer } from 'node:http';
import type { AnswerAck, CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';
import { CommitQueue } from '../../db/commitQueue.js';

const [dbFile] = process.argv.slice(2);
if (!dbFile) throw new Error('usage: baselineServerWorker DB_FILE');
const sqlite = new Database(dbFile);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.exec(`CREATE TABLE IF NOT EXISTS answers (
  attempt_id INTEGER NOT NULL, question_no INTEGER NOT NULL, choice TEXT NOT NULL, seq INTEGER NOT NULL, saved_at INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, question_no))`);
const upsert = sqlite.prepare(
  `INSERT INTO answers (attempt_id, question_no, choice, seq, saved_at) VALUES (@attemptId, @questionNo, @choice, @seq, @savedAt)
   ON CONFLICT (attempt_id, question_no) DO UPDATE SET choice = excluded.choice, seq = excluded.seq, saved_at = excluded.saved_at
   WHERE excluded.seq > answers.seq`,
);
interface Row {
  attemptId: number;
  questionNo: number;
  choice: string;
  seq: number;
  savedAt: number;
}
// as in ours, the ack says whether the row changed (a newer seq may already be stored)
const queue = new CommitQueue<{ row: Row; applied: boolean }>(sqlite, (items) => {
  for (const it of items) it.applied = upsert.run(it.row).changes > 0;
});

const http = createServer((_req, res) => {
  res.statusCode = 404;
  res.end();
});
const io = new Server<CandidateClientToServer, CandidateServerToClient>(http, { path: '/socket.io', serveClient: false });
io.of('/candidate').on('connection', (socket) => {
  socket.on('answer', (p, ack) => {
    const savedAt = Date.now();
    const item = {
      row: { attemptId: p.attemptId, questionNo: p.questionNo, choice: JSON.stringify(p.choice), seq: p.seq, savedAt },
      applied: false,
    };
    queue.enqueue(item).then(
      () => ack({ ok: true, seq: p.seq, savedAt, applied: item.applied } satisfies AnswerAck),
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
  void queue.close().then(() => {
    sqlite.close();
    process.exit(0);
  });
});
