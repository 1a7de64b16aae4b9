import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.js';
import { findPgBin, type PgCluster, startPgCluster } from '../src/db/pg/cluster.js';
import { openPgDatabase } from '../src/db/pg/connection.js';
import { inTransaction, TransactionError, transaction } from '../src/db/tx.js';
import { AuthRepo } from '../src/modules/auth/repo.js';
import { AuthRepo as PgAuthRepo } from '../src/modules/auth/repo.pg.js';
import { BankRepo } from '../src/modules/banks/repo/bankRepo.js';
import { BankRepo as PgBankRepo } from '../src/modules/banks/repo/bankRepo.pg.js';
import type { PublicationsRepo } from '../src/modules/results/publicationsRepo.js';
import { examCorrectionsOf, ResultsRepo } from '../src/modules/results/repo.js';
import { ResultsRepo as PgResultsRepo, examCorrectionsOf as pgExamCorrectionsOf } from '../src/modules/results/repo.pg.js';
import { rolesColumn, UsersRepo } from '../src/modules/users/repo.js';
import { UsersRepo as PgUsersRepo } from '../src/modules/users/repo.pg.js';

/**
 * One repository source, two dialects (issue 17, docs/ARCHITECTURE.md "Several nodes"): the same
 * behaviour tests run on SQLite and on a real PostgreSQL (a private cluster, skipped only where no
 * PostgreSQL binaries exist) against the repository and its generated copy (scripts/gen-pg-repos.mjs).
 * Assigning each PostgreSQL repository to the SQLite one's public API below is the compile-time half:
 * the copies return rows of the same types.
 */

/** A repository's public API (its private handle left out). */
type Api<T> = { [K in keyof T]: T[K] };

interface Side {
  users: Api<UsersRepo>;
  auth: Api<AuthRepo>;
  banks: Api<BankRepo>;
  results: Omit<Api<ResultsRepo>, 'publications'> & { publications: Api<PublicationsRepo> };
  corrections: (examId: number) => ReturnType<typeof examCorrectionsOf>;
  tx: <T>(fn: () => Promise<T>) => Promise<T>;
  inTx: () => boolean;
  /** a seed row through SQL both dialects read alike ($1, $2… in order), returning its id */
  seed: (text: string, params: (string | number)[]) => Promise<number>;
}

const idOf = (row: unknown): number => {
  if (typeof row === 'object' && row !== null && 'id' in row && typeof row.id === 'number') return row.id;
  throw new Error('the seed returned no id');
};

function behaviour(side: () => Side) {
  describe('users repository', () => {
    it('inserts inside a transaction and reads the rows back, typed alike', async () => {
      const s = side();
      const id = await s.tx(() =>
        s.users.insert({ username: 'an.nv', fullName: 'Nguyễn Văn An', passwordHash: 'h1', roles: ['admin'] }),
      );
      const row = await s.users.byId(id);
      expect(row).toMatchObject({ id, username: 'an.nv', fullName: 'Nguyễn Văn An', active: true });
      expect(typeof row?.createdAt).toBe('string');
      expect(rolesColumn.parse(row?.roles ?? '')).toEqual(['admin']);
      expect((await s.users.byUsername('an.nv'))?.passwordHash).toBe('h1');
      expect(await s.users.byUsername('khong.co')).toBeUndefined();
      expect(await s.users.byId(999_999)).toBeUndefined();
      const id2 = await s.tx(() =>
        s.users.insert({ username: 'binh.tt', fullName: 'Trần Thị Bình', passwordHash: 'h2', roles: [] }),
      );
      expect(id2).toBeGreaterThan(id);
      expect((await s.users.list()).map((u) => u.username)).toEqual(['an.nv', 'binh.tt']);
      expect(await s.users.count()).toBe(2);
    });

    it('refuses a write outside transaction()', async () => {
      const s = side();
      await expect(s.users.insert({ username: 'ngoai', fullName: 'Ngoài', passwordHash: 'h', roles: [] })).rejects.toBeInstanceOf(
        TransactionError,
      );
      expect(await s.users.byUsername('ngoai')).toBeUndefined();
    });

    it('reads its own uncommitted writes inside the transaction, and a throw rolls every write back', async () => {
      const s = side();
      const seen = await s.tx(async () => {
        expect(s.inTx()).toBe(true);
        await s.users.insert({ username: 'tam.thoi', fullName: 'Tạm Thời', passwordHash: 'h', roles: ['author'] });
        return s.users.byUsername('tam.thoi');
      });
      expect(seen?.fullName).toBe('Tạm Thời');
      expect(s.inTx()).toBe(false);
      const before = await s.users.count();
      await expect(
        s.tx(async () => {
          await s.users.insert({ username: 'se.huy', fullName: 'Sẽ Hủy', passwordHash: 'h', roles: [] });
          expect(await s.users.byUsername('se.huy')).toBeDefined();
          throw new Error('từ chối');
        }),
      ).rejects.toThrow('từ chối');
      expect(await s.users.byUsername('se.huy')).toBeUndefined();
      expect(await s.users.count()).toBe(before);
    });

    it('a duplicate username fails the whole transaction: nothing of it is written', async () => {
      const s = side();
      await expect(
        s.tx(async () => {
          await s.users.insert({ username: 'trung.ten', fullName: 'Một', passwordHash: 'h', roles: [] });
          await s.users.insert({ username: 'trung.ten', fullName: 'Hai', passwordHash: 'h', roles: [] });
        }),
      ).rejects.toThrow();
      expect(await s.users.byUsername('trung.ten')).toBeUndefined();
    });

    it('updates, replaces subjects and ends sessions', async () => {
      const s = side();
      const id = await s.tx(() =>
        s.users.insert({ username: 'cuong.lv', fullName: 'Lê Văn Cường', passwordHash: 'h', roles: [] }),
      );
      const [s1, s2] = await s.tx(async () => [
        await s.banks.insertSubject('LUAT', 'Luật'),
        await s.banks.insertSubject('TIN', 'Tin học'),
      ]);
      expect(await s.users.subjectExists(s1 ?? 0)).toBe(true);
      expect(await s.users.subjectExists(999_999)).toBe(false);
      await s.tx(async () => {
        await s.users.update(id, { fullName: 'Lê Văn Cường (sửa)', roles: ['author', 'reviewer'], active: false });
        await s.users.update(id, {});
        await s.users.replaceSubjects(id, [s2 ?? 0, s1 ?? 0]);
      });
      const row = await s.users.byId(id);
      expect(row).toMatchObject({ fullName: 'Lê Văn Cường (sửa)', active: false });
      expect(rolesColumn.parse(row?.roles ?? '')).toEqual(['author', 'reviewer']);
      expect(await s.users.subjectIds(id)).toEqual([s1, s2].sort((a, b) => (a ?? 0) - (b ?? 0)));
      expect(await s.auth.subjectIds(id)).toEqual(await s.users.subjectIds(id));
      await s.tx(() => s.users.replaceSubjects(id, [s2 ?? 0]));
      expect(await s.users.subjectIds(id)).toEqual([s2]);
      const v0 = await s.auth.sessionVersion(id);
      await s.tx(() => s.users.bumpSessionVersion(id));
      await s.tx(() => s.auth.bumpSessionVersion(id));
      expect(await s.auth.sessionVersion(id)).toBe((v0 ?? 0) + 2);
      expect(await s.auth.sessionUser(id)).toMatchObject({
        id,
        username: 'cuong.lv',
        active: false,
        sessionVersion: (v0 ?? 0) + 2,
      });
    });

    it('keeps the signing key in settings', async () => {
      const s = side();
      expect(await s.auth.jwtSecret()).toBeUndefined();
      await s.tx(() => s.auth.insertJwtSecret('bí mật'));
      expect(await s.auth.jwtSecret()).toBe('bí mật');
    });
  });

  describe('banks repository', () => {
    it('versions a question, approves it, finds heads and counts them', async () => {
      const s = side();
      const authorId = await s.tx(() =>
        s.users.insert({ username: 'tac.gia', fullName: 'Tác Giả', passwordHash: 'h', roles: ['author'] }),
      );
      const content = (topicId: number, stem: string) => ({
        type: 'single' as const,
        topicId,
        difficulty: 'nhan_biet' as const,
        stem,
        options: [
          { id: 'a', text: 'Có', correct: true },
          { id: 'b', text: 'Không', correct: false },
        ],
        partialCredit: true,
        explanation: 'Giải thích',
        legalBasis: 'Luật Cán bộ, công chức',
        tags: ['luat'],
      });
      const { subjectId, topicId, questionId, v1 } = await s.tx(async () => {
        const subjectId = await s.banks.insertSubject('NV', 'Nghiệp vụ');
        const topicId = await s.banks.insertTopic({ subjectId, parentId: null, code: 'C1', name: 'Chương 1' });
        const questionId = await s.banks.insertQuestion(subjectId, 'NV-001');
        const v1 = await s.banks.insertVersion({
          questionId,
          version: 1,
          content: content(topicId, 'Công chức là gì?'),
          status: 'submitted',
          authorId,
          searchText: 'cong chuc la gi',
        });
        return { subjectId, topicId, questionId, v1 };
      });
      expect(await s.banks.subjectCodeTaken('NV')).toBe(true);
      expect(await s.banks.refTaken(subjectId, 'NV-001')).toBe(true);
      expect(await s.banks.refTaken(subjectId, 'NV-002')).toBe(false);
      expect(await s.banks.questionSubject(questionId)).toBe(subjectId);
      expect(await s.banks.head(questionId)).toMatchObject({ id: v1, version: 1, status: 'submitted', authorName: 'Tác Giả' });
      await s.tx(() => s.banks.approve(questionId, v1, authorId));
      const v2 = await s.tx(() =>
        s.banks.insertVersion({
          questionId,
          version: 2,
          content: content(topicId, 'Viên chức là gì?'),
          status: 'submitted',
          authorId,
          searchText: 'vien chuc la gi',
        }),
      );
      await s.tx(() => s.banks.approve(questionId, v2, authorId));
      expect((await s.banks.versions(questionId)).map((v) => [v.version, v.status])).toEqual([
        [2, 'approved'],
        [1, 'retired'],
      ]);
      expect((await s.banks.heads(subjectId)).map((v) => v.id)).toEqual([v2]);
      const found = await s.banks.findHeads({ subjectId, words: ['%vien chuc%'] }, { limit: 10, offset: 0 });
      expect(found.total).toBe(1);
      expect(found.rows[0]?.id).toBe(v2);
      expect((await s.banks.findHeads({ subjectId, words: ['%khong co%'] }, { limit: 10, offset: 0 })).total).toBe(0);
      expect(await s.banks.approvedCounts(subjectId)).toEqual([{ topicId, difficulty: 'nhan_biet', n: 1 }]);
      await s.tx(() => s.banks.insertComment({ versionId: v2, userId: authorId, kind: 'comment', body: 'Đạt' }));
      expect((await s.banks.comments(questionId)).map((c) => [c.version, c.userName, c.body])).toEqual([[2, 'Tác Giả', 'Đạt']]);
      expect(await s.banks.questionCount(subjectId)).toBe(1);
    });
  });

  describe('results repository', () => {
    let examId = 0;
    let partId = 0;
    let positionId = 0;
    let candidateIds: number[] = [];
    let markerId = 0;

    beforeAll(async () => {
      const s = side();
      markerId = await s.tx(() =>
        s.users.insert({ username: 'giam.khao', fullName: 'Giám khảo', passwordHash: 'h', roles: ['marker'] }),
      );
      examId = await s.seed('INSERT INTO exams (code, name, kind, profile_id, secret) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        'TD2026',
        'Thi tuyển 2026',
        'tuyen_dung',
        'tuyen-dung-chung',
        'khóa',
      ]);
      partId = await s.seed(
        'INSERT INTO exam_parts (exam_id, code, name, mode, pass_rule, role) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [examId, 'V2', 'Môn nghiệp vụ chuyên ngành', 'written', '{"kind":"min","min":50}', 'ranking'],
      );
      positionId = await s.seed('INSERT INTO exam_positions (exam_id, code, name, quota) VALUES ($1, $2, $3, $4) RETURNING id', [
        examId,
        'CV',
        'Chuyên viên',
        2,
      ]);
      candidateIds = [];
      for (const [n, name] of [
        ['TS002', 'Phạm Thị Dung'],
        ['TS001', 'Hoàng Văn Em'],
      ] as const) {
        candidateIds.push(
          await s.seed(
            'INSERT INTO candidates (exam_id, number, full_name, date_of_birth, gender, id_number, position_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
            [examId, n, name, '1995-03-04', 'nu', `0010950${n.slice(-3)}`, positionId],
          ),
        );
      }
    });

    it('reads the candidates with their position and JSON columns checked, by number', async () => {
      const s = side();
      const list = await s.results.candidates(examId);
      expect(list.map((c) => c.number)).toEqual(['TS001', 'TS002']);
      expect(list[0]).toMatchObject({
        fullName: 'Hoàng Văn Em',
        positionId,
        exemptions: [],
        kiemDinh: null,
        requiresForeignLanguage: true,
      });
      expect(await s.results.positions(examId)).toEqual([{ id: positionId, code: 'CV', name: 'Chuyên viên', quota: 2 }]);
      expect((await s.results.candidatesForMarking(examId)).map((c) => [c.number, c.roomCode])).toEqual([
        ['TS001', null],
        ['TS002', null],
      ]);
      expect(await s.results.candidateInExam(candidateIds[0] ?? 0, examId)).toBe(true);
      expect(await s.results.candidateInExam(candidateIds[0] ?? 0, examId + 1)).toBe(false);
      expect((await s.results.candidatesByNumber('TS002')).map((c) => c.id)).toEqual([candidateIds[0]]);
    });

    it('upserts the marking rule and the marks', async () => {
      const s = side();
      expect(await s.results.markingRule(partId)).toBeUndefined();
      await s.tx(() => s.results.saveMarkingRule(partId, { markers: 2, maxDifference: 10, combine: 'average' }));
      await s.tx(() => s.results.saveMarkingRule(partId, { markers: 2, maxDifference: 5, combine: 'average' }));
      expect(await s.results.markingRule(partId)).toEqual({ markers: 2, maxDifference: 5, combine: 'average' });
      const mark = (candidateId: number, marker: number, score: number | null) =>
        s.results.saveMark({
          partId,
          candidateId,
          marker,
          score,
          reason: null,
          enteredBy: markerId,
          enteredAt: '2026-12-08T01:00:00.000Z',
        });
      const [a = 0, b = 0] = candidateIds;
      await s.tx(async () => {
        await mark(a, 1, 70);
        await mark(a, 2, 72.5);
        await mark(b, 1, null);
      });
      await s.tx(() => mark(a, 1, 71));
      expect(await s.results.markScore(partId, a, 1)).toEqual({ score: 71 });
      expect(await s.results.markScore(partId, b, 1)).toEqual({ score: null });
      expect(await s.results.markScore(partId, b, 2)).toBeUndefined();
      const marks = (await s.results.marks(examId)).map((m) => `${m.candidateId}/${m.marker}=${m.score}`).sort();
      expect(marks).toEqual([`${a}/1=71`, `${a}/2=72.5`, `${b}/1=null`].sort());
      await expect(
        s.tx(async () => {
          await mark(b, 2, 90);
          throw new Error('hủy');
        }),
      ).rejects.toThrow('hủy');
      expect(await s.results.markScore(partId, b, 2)).toBeUndefined();
    });

    it('records tie decisions and cancellations, and sets the exam status', async () => {
      const s = side();
      const [a = 0, b = 0] = candidateIds;
      await s.tx(() =>
        s.results.insertTieDecision({
          examId,
          positionId,
          candidateIds: [b, a],
          reason: 'Ưu tiên theo Điều 10',
          createdBy: markerId,
          decisionNumber: '12/QĐ-HĐTD',
          decisionDate: '2026-12-08',
          signer: 'Chủ tịch Hội đồng',
        }),
      );
      const ties = await s.results.tieDecisions(examId);
      expect(ties).toHaveLength(1);
      expect(ties[0]).toMatchObject({ positionId, ids: [b, a], byName: 'giam.khao', decisionNumber: '12/QĐ-HĐTD' });
      expect(await s.results.resultCancelled(a)).toBe(false);
      await s.tx(() => s.results.insertCancellation(examId, a, 'Gian lận', markerId));
      expect(await s.results.resultCancelled(a)).toBe(true);
      expect(await s.results.sanctions(examId)).toEqual([{ candidateId: a, partId: null, code: 'huy_ket_qua' }]);
      await s.tx(() => s.results.setExamStatus(examId, 'published'));
      expect(await s.results.sittings(examId)).toEqual([]);
      expect(await s.results.reviewedMarks(examId)).toEqual(new Map());
    });

    it('stores key corrections and reads them back as grading applies them', async () => {
      const s = side();
      const authorId = markerId;
      const versionId = await s.tx(async () => {
        const subjectId = await s.banks.insertSubject('KT', 'Kế toán');
        const topicId = await s.banks.insertTopic({ subjectId, parentId: null, code: 'T1', name: 'Chủ đề 1' });
        const questionId = await s.banks.insertQuestion(subjectId, 'KT-1');
        return s.banks.insertVersion({
          questionId,
          version: 1,
          content: {
            type: 'single',
            topicId,
            difficulty: 'thong_hieu',
            stem: 'Câu hỏi?',
            options: [
              { id: 'a', text: 'Đúng', correct: true },
              { id: 'b', text: 'Sai', correct: false },
            ],
            partialCredit: false,
            explanation: '',
            legalBasis: '',
            tags: [],
          },
          status: 'draft',
          authorId,
          searchText: 'cau hoi',
        });
      });
      expect((await s.banks.version(versionId))?.id).toBe(versionId);
      const first = await s.tx(() =>
        s.results.insertKeyCorrection({
          examId,
          versionId,
          kind: 'rekey',
          correct: ['b'],
          mode: null,
          reason: 'Sai đáp án',
          createdBy: authorId,
        }),
      );
      const second = await s.tx(() =>
        s.results.insertKeyCorrection({
          examId,
          versionId,
          kind: 'void',
          correct: null,
          mode: 'drop',
          reason: 'Hủy câu',
          createdBy: authorId,
        }),
      );
      expect(second).toBeGreaterThan(first);
      await s.tx(async () => {
        for (const correctionId of [first, second])
          await s.results.setCorrectionReport(correctionId, {
            correctionId,
            versionId,
            affected: 0,
            changed: [],
            unpublished: false,
          });
      });
      expect(await s.corrections(examId)).toEqual(new Map([[versionId, { kind: 'void', mode: 'drop' }]]));
      const listed = await s.results.corrections(examId);
      expect(listed.map((k) => [k.kind, k.correct, k.mode, k.byName, k.report.correctionId])).toEqual([
        ['rekey', ['b'], null, 'giam.khao', first],
        ['void', null, 'drop', 'giam.khao', second],
      ]);
      expect((await s.results.questionVersion(versionId))?.type).toBe('single');
      expect(await s.results.questionVersion(999_999)).toBeUndefined();
    });
  });
}

describe('SQLite', () => {
  let dir = '';
  let sideValue: Side | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'exam-repos-'));
    const db = openDatabase(join(dir, 'exam.db'));
    sideValue = {
      users: new UsersRepo(db),
      auth: new AuthRepo(db),
      banks: new BankRepo(db),
      results: new ResultsRepo(db),
      corrections: (examId) => examCorrectionsOf(db, examId),
      tx: (fn) => transaction(db, fn),
      inTx: () => inTransaction(db),
      seed: async (text, params) => idOf(db.$client.prepare(text.replace(/\$\d+/g, '?')).get(...params)),
    };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  behaviour(() => {
    if (!sideValue) throw new Error('not opened');
    return sideValue;
  });
});

const bin = findPgBin();

describe.skipIf(!bin)('PostgreSQL', () => {
  let cluster: PgCluster | undefined;
  let sideValue: Side | undefined;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    cluster = await startPgCluster(bin ? { bin } : {});
    const db = await openPgDatabase(await cluster.createDatabase('repos'), 4);
    close = () => db.$client.end();
    sideValue = {
      users: new PgUsersRepo(db),
      auth: new PgAuthRepo(db),
      banks: new PgBankRepo(db),
      results: new PgResultsRepo(db),
      corrections: (examId) => pgExamCorrectionsOf(db, examId),
      tx: (fn) => transaction(db, fn),
      inTx: () => inTransaction(db),
      seed: async (text, params) => idOf((await db.$client.query(text, params)).rows[0]),
    };
  }, 120_000);
  afterAll(async () => {
    await close();
    await cluster?.stop();
  });
  behaviour(() => {
    if (!sideValue) throw new Error('not opened');
    return sideValue;
  });

  it('reads inside a transaction go through its own client: a pool of one client does not wait on itself', async () => {
    if (!cluster) throw new Error('no cluster');
    const one = await openPgDatabase(await cluster.createDatabase('one_client'), 1);
    try {
      const users = new PgUsersRepo(one);
      const seen = await transaction(one, async () => {
        await users.insert({ username: 'mot.ket.noi', fullName: 'Một kết nối', passwordHash: 'h', roles: [] });
        return { row: await users.byUsername('mot.ket.noi'), count: await users.count() };
      });
      expect(seen).toMatchObject({ row: { fullName: 'Một kết nối' }, count: 1 });
    } finally {
      await one.$client.end();
    }
  });

  it('runs transactions side by side, each isolated until its COMMIT', async () => {
    const s = sideValue;
    if (!s) throw new Error('not opened');
    let releaseA: () => void = () => {};
    const gateA = new Promise<void>((r) => {
      releaseA = r;
    });
    let insertedA: () => void = () => {};
    const aInserted = new Promise<void>((r) => {
      insertedA = r;
    });
    const a = s.tx(async () => {
      await s.users.insert({ username: 'song.song.a', fullName: 'A', passwordHash: 'h', roles: [] });
      insertedA();
      await gateA;
    });
    await aInserted;
    // B starts, writes and commits while A is still open; neither sees the other's uncommitted row
    await s.tx(async () => {
      await s.users.insert({ username: 'song.song.b', fullName: 'B', passwordHash: 'h', roles: [] });
      expect(await s.users.byUsername('song.song.a')).toBeUndefined();
    });
    expect(await s.users.byUsername('song.song.b')).toBeDefined();
    expect(await s.users.byUsername('song.song.a')).toBeUndefined();
    releaseA();
    await a;
    expect(await s.users.byUsername('song.song.a')).toBeDefined();
  });
});
