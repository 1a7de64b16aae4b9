import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, seedBank, type TestApp } from './helpers.js';

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let examId: number;
beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
  examId = (
    await t.app.inject({
      method: 'POST',
      url: '/api/exams',
      headers: { cookie: s.board },
      payload: { code: 'KT', name: 'Kỳ thi', profileId: 'nd138-2020' },
    })
  ).json().id;
  await t.app.inject({
    method: 'POST',
    url: `/api/exams/${examId}/positions`,
    headers: { cookie: s.board },
    payload: { code: 'VT01', name: 'Chuyên viên', quota: 2 },
  });
});
afterEach(async () => {
  await t.close();
});

async function fill(rows: Record<string, string>[]): Promise<Buffer> {
  const tpl = await t.app.inject({ url: `/api/exams/${examId}/candidates/template`, headers: { cookie: s.board } });
  expect(tpl.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets.find((w) => w.name === 'Danh sách thí sinh') ?? wb.worksheets[0];
  if (!ws) throw new Error('no sheet');
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  for (let i = 2; i <= Math.max(ws.rowCount, rows.length + 1); i++) {
    const r = rows[i - 2];
    ws.getRow(i).values = r ? header.map((h) => r[h] ?? '') : [];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const person = (i: number) => ({
  'Họ và tên': `Nguyễn Văn ${String.fromCharCode(65 + i)}`,
  'Ngày sinh': `0${(i % 9) + 1}/05/1994`,
  'Giới tính': i % 2 ? 'Nữ' : 'Nam',
  'Số CCCD/CMND': `09309500000${i}`,
  'Dân tộc': 'Kinh',
  'Mã vị trí dự tuyển': 'VT01',
});

const send = (file: Buffer, dryRun: boolean) =>
  t.app.inject({
    method: 'POST',
    url: `/api/exams/${examId}/candidates/import?dryRun=${dryRun}`,
    headers: { cookie: s.board, 'content-type': 'application/octet-stream' },
    payload: file,
  });

describe('candidates', () => {
  it('reports import errors by row and column and writes nothing', async () => {
    const file = await fill([
      person(0),
      { ...person(1), 'Ngày sinh': '31/02/1990' },
      { ...person(2), 'Mã vị trí dự tuyển': 'VT99' },
      { ...person(3), 'Số CCCD/CMND': '09309500000' },
    ]);
    const r = (await send(file, false)).json();
    expect(r.ok).toBe(false);
    expect(r.created).toBe(0);
    const at = (row: number) => r.issues.filter((i: { row: number }) => i.row === row);
    expect(at(3)[0]).toMatchObject({ column: 'Ngày sinh', severity: 'error' });
    expect(at(4)[0]).toMatchObject({ column: 'Mã vị trí dự tuyển' });
    expect(at(5)[0]).toMatchObject({ column: 'Số CCCD/CMND' });
    const list = (await t.app.inject({ url: `/api/exams/${examId}/candidates`, headers: { cookie: s.board } })).json();
    expect(list).toEqual([]);
  });

  it('imports after a clean dry run, numbers candidates by the documented rule, issues PINs once', async () => {
    const file = await fill([person(2), person(0), person(1)]);
    const dry = (await send(file, true)).json();
    expect(dry).toMatchObject({ ok: true, rows: 3, created: 0 });
    const real = (await send(file, false)).json();
    expect(real).toMatchObject({ ok: true, created: 3 });
    const list = (await t.app.inject({ url: `/api/exams/${examId}/candidates`, headers: { cookie: s.board } })).json();
    // same position: ordered by given name (A, B, C)
    expect(list.map((c: { number: string; fullName: string }) => [c.number, c.fullName])).toEqual([
      ['KT0001', 'Nguyễn Văn A'],
      ['KT0002', 'Nguyễn Văn B'],
      ['KT0003', 'Nguyễn Văn C'],
    ]);
    // importing the same people again is refused by ID number
    const again = (await send(file, false)).json();
    expect(again.issues.map((i: { code: string }) => i.code)).toEqual([
      'ID_NUMBER_EXISTS',
      'ID_NUMBER_EXISTS',
      'ID_NUMBER_EXISTS',
    ]);

    const pins = await t.app.inject({ method: 'POST', url: `/api/exams/${examId}/pins`, headers: { cookie: s.board } });
    expect(pins.statusCode).toBe(200);
    expect(pins.headers['content-type']).toBe('application/pdf');
    expect(pins.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const stored = t.db.$client.prepare('SELECT pin_hash FROM candidates WHERE exam_id = ?').pluck().all(examId) as string[];
    expect(stored.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);

    // rooms, a sitting, seats, then the admission slips and room lists
    await t.app.inject({
      method: 'POST',
      url: `/api/exams/${examId}/rooms`,
      headers: { cookie: s.board },
      payload: { code: 'P1', name: 'Phòng 1', seats: 2 },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/exams/${examId}/rooms`,
      headers: { cookie: s.board },
      payload: { code: 'P2', name: 'Phòng 2', seats: 2 },
    });
    const detail = (await t.app.inject({ url: `/api/exams/${examId}`, headers: { cookie: s.board } })).json();
    const sitting = (
      await t.app.inject({
        method: 'POST',
        url: `/api/exams/${examId}/sittings`,
        headers: { cookie: s.board },
        payload: { name: 'Ca 1', startsAt: '2026-12-20T01:00:00Z', partIds: [detail.parts[0].id] },
      })
    ).json().id;
    const a = (
      await t.app.inject({ method: 'POST', url: `/api/sittings/${sitting}/assign`, headers: { cookie: s.board } })
    ).json();
    expect(a).toEqual({ assigned: 3, perRoom: { P1: 2, P2: 1 } });
    const slips = await t.app.inject({ url: `/api/exams/${examId}/admission-slips.pdf`, headers: { cookie: s.board } });
    expect(slips.statusCode).toBe(200);
    expect(slips.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const rl = await t.app.inject({ url: `/api/sittings/${sitting}/room-list.pdf`, headers: { cookie: s.board } });
    const rlx = await t.app.inject({ url: `/api/sittings/${sitting}/room-list.xlsx`, headers: { cookie: s.board } });
    expect(rlx.statusCode).toBe(200);
    expect(rlx.rawPayload.readUInt32LE(0)).toBe(0x04034b50);
    expect(rl.statusCode).toBe(200);
    // manual move into an occupied seat is refused, into a free one accepted
    const c3 = list[2].id;
    const rooms = detail.rooms.length
      ? detail.rooms
      : (await t.app.inject({ url: `/api/exams/${examId}`, headers: { cookie: s.board } })).json().rooms;
    const p1 = rooms.find((r: { code: string }) => r.code === 'P1').id;
    const p2 = rooms.find((r: { code: string }) => r.code === 'P2').id;
    const taken = await t.app.inject({
      method: 'PUT',
      url: `/api/sittings/${sitting}/seats/${c3}`,
      headers: { cookie: s.board },
      payload: { roomId: p1, seatNo: 1 },
    });
    expect(taken.statusCode).toBe(409);
    const free = await t.app.inject({
      method: 'PUT',
      url: `/api/sittings/${sitting}/seats/${c3}`,
      headers: { cookie: s.board },
      payload: { roomId: p2, seatNo: 2 },
    });
    expect(free.statusCode).toBe(200);
  });
});
