import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * drizzle's pg dialect schema (issue 17): the same tables and columns as ../schema.ts (SQLite), built
 * by the hand-written SQL in migrations-pg/ (server/test/pg-schema.test.ts checks both). Mapping:
 * integer ids → integer identity (by default, so copied rows keep their ids); epoch-millisecond
 * times and answer seq → bigint (mode number); SQLite's 0/1 booleans → boolean; real → double
 * precision; blob → bytea; ISO timestamps and JSON stay text, byte for byte as SQLite stores them
 * (digests and the audit chain are computed over that text).
 */

/** The same ISO-8601 UTC text as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ','now'), e.g. 2026-12-07T08:00:00.123Z. */
const now = sql`to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** bytea as a Node Buffer (node-postgres reads bytea as Buffer and writes a Buffer as bytea). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    username: text('username').notNull(),
    fullName: text('full_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** JSON array of roles */
    roles: text('roles').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
    /** bumped on sign-out, password change, deactivation, role change and "sign out everywhere": older sessions stop working */
    sessionVersion: integer('session_version').notNull().default(0),
  },
  (t) => [uniqueIndex('users_username_unique').on(t.username)],
);

export const subjects = pgTable(
  'subjects',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('subjects_code_unique').on(t.code)],
);

export const subjectMembers = pgTable(
  'subject_members',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.subjectId] })],
);

export const topics = pgTable(
  'topics',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id),
    parentId: integer('parent_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('topics_subject_code').on(t.subjectId, t.code)],
);

/** The stable identity of a question; its content lives in versions. */
export const questions = pgTable(
  'questions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id),
    ref: text('ref').notNull(),
    /** the newest version (draft, submitted, approved or retired) */
    headVersionId: integer('head_version_id'),
    createdAt: text('created_at').notNull().default(now),
    /** display title from an imported file (GIFT ::title::, Moodle name, QTI title); '' when none */
    title: text('title').notNull().default(''),
    /** searchKey(title), searched with the versions' search text */
    titleKey: text('title_key').notNull().default(''),
  },
  (t) => [uniqueIndex('questions_subject_ref').on(t.subjectId, t.ref)],
);

/**
 * One version of a question. Draft and submitted versions may be edited in place; an approved
 * version is never changed (a trigger enforces it): editing makes version n+1.
 */
export const questionVersions = pgTable(
  'question_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id),
    difficulty: text('difficulty').notNull(),
    stem: text('stem').notNull(),
    /** JSON array of {id,text,correct,pinned?} */
    options: text('options').notNull(),
    partialCredit: boolean('partial_credit').notNull().default(false),
    explanation: text('explanation').notNull().default(''),
    legalBasis: text('legal_basis').notNull().default(''),
    /** JSON array of strings */
    tags: text('tags').notNull().default('[]'),
    status: text('status').notNull(),
    /** diacritic-free lower-case text of stem, options and tags, for search */
    searchText: text('search_text').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    approvedBy: integer('approved_by').references(() => users.id),
    approvedAt: text('approved_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('qv_question_version').on(t.questionId, t.version),
    index('qv_status_topic').on(t.status, t.topicId, t.difficulty),
  ],
);

export const questionComments = pgTable('question_comments', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  versionId: integer('version_id')
    .notNull()
    .references(() => questionVersions.id),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  /** comment | submit | approve | return | retire */
  kind: text('kind').notNull(),
  body: text('body').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const images = pgTable('images', {
  /** sha-256 of the bytes, hex */
  id: text('id').primaryKey(),
  mime: text('mime').notNull(),
  bytes: bytea('bytes').notNull(),
  uploadedBy: integer('uploaded_by').references(() => users.id),
  createdAt: text('created_at').notNull().default(now),
});

/** The subjects whose questions show an image: staff read a bank image only on a subject they may see. */
export const imageSubjects = pgTable(
  'image_subjects',
  {
    imageId: text('image_id')
      .notNull()
      .references(() => images.id, { onDelete: 'cascade' }),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.imageId, t.subjectId] }), index('image_subjects_subject').on(t.subjectId)],
);

/** Append-only, hash-chained. Triggers forbid UPDATE and DELETE. */
export const auditLog = pgTable('audit_log', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  ts: text('ts').notNull(),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  beforeDigest: text('before_digest'),
  afterDigest: text('after_digest'),
  detail: text('detail').notNull().default('{}'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

// ---------------------------------------------------------------------------------------------
// Exams (issue 3)

/** Kỳ thi. `secret` seeds the papers and never leaves the server. */
export const exams = pgTable(
  'exams',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** recruitment | promotion | assessment */
    kind: text('kind').notNull(),
    profileId: text('profile_id').notNull(),
    /** JSON ProfileOverrides the board set for this exam */
    overrides: text('overrides').notNull().default('{}'),
    organisingBody: text('organising_body').notNull().default(''),
    /** draft | ready | running | finished | published */
    status: text('status').notNull().default('draft'),
    secret: text('secret').notNull(),
    examDate: text('exam_date'),
    /** IANA zone of every time typed or read for this exam (issue 11: one clock) */
    timeZone: text('time_zone').notNull().default('Asia/Ho_Chi_Minh'),
    /** hạn nhận phiếu đăng ký dự tuyển (ISO date): kiểm định validity counts to it under NĐ 116/2024 */
    applicationDeadline: text('application_deadline'),
    /** the board's reason for using a profile not in force on the exam date (issue 12) */
    profileOutOfForceReason: text('profile_out_of_force_reason'),
    frozenAt: text('frozen_at'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('exams_code_unique').on(t.code)],
);

/** Phần thi / môn thi of an exam, instantiated from the profile's parts. */
export const examParts = pgTable(
  'exam_parts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    /** the profile part id it came from (e.g. r1_ktc), or a board-chosen code */
    code: text('code').notNull(),
    name: text('name').notNull(),
    subjectId: integer('subject_id').references(() => subjects.id),
    /** computer_mc | paper_mc | written | interview | project | practical | oral */
    mode: text('mode').notNull(),
    round: integer('round').notNull().default(1),
    questionCount: integer('question_count'),
    durationMin: integer('duration_min'),
    scoreScale: doublePrecision('score_scale').notNull().default(100),
    /** JSON PassRule */
    passRule: text('pass_rule').notNull(),
    /** counted | condition */
    role: text('role').notNull(),
    coefficient: doublePrecision('coefficient'),
    /** JSON ExemptionCode[] */
    exemptibleBy: text('exemptible_by').notNull().default('[]'),
    /** JSON { cells: [{ topicId|null, difficulty, count }] } */
    blueprint: text('blueprint').notNull().default('{"cells":[]}'),
    sortOrder: integer('sort_order').notNull().default(0),
    /** sha-256 of the frozen pool (approved version ids) the papers were drawn from */
    bankVersion: text('bank_version'),
    /** JSON array of the frozen pool's version ids */
    frozenPool: text('frozen_pool'),
  },
  (t) => [uniqueIndex('exam_parts_code').on(t.examId, t.code)],
);

/** Vị trí việc làm (recruitment) or ngạch dự thi (promotion), each with a quota. */
export const examPositions = pgTable(
  'exam_positions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    quota: integer('quota').notNull(),
    /** ngạch code 01.001 … 01.005 (target grade for promotion, grade of the post for recruitment) */
    grade: text('grade'),
    requiresForeignLanguage: boolean('requires_foreign_language').notNull().default(true),
  },
  (t) => [uniqueIndex('exam_positions_code').on(t.examId, t.code)],
);

export const candidates = pgTable(
  'candidates',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    /** số báo danh */
    number: text('number').notNull(),
    fullName: text('full_name').notNull(),
    /** YYYY-MM-DD */
    dateOfBirth: text('date_of_birth').notNull(),
    /** female | male */
    gender: text('gender').notNull(),
    idNumber: text('id_number').notNull(),
    ethnicity: text('ethnicity').notNull().default('Kinh'),
    positionId: integer('position_id')
      .notNull()
      .references(() => examPositions.id),
    priorityCategory: text('priority_category'),
    /** JSON ExemptionCode[] */
    exemptions: text('exemptions').notNull().default('[]'),
    /** JSON KiemDinhRecord or null */
    kiemDinh: text('kiem_dinh'),
    currentGrade: text('current_grade'),
    yearsInGrade: doublePrecision('years_in_grade'),
    /** JSON: promotion extras (rating, disciplined, years of service) */
    extra: text('extra').notNull().default('{}'),
    /** HMAC of the PIN with the exam secret; null until PINs are issued */
    pinHash: text('pin_hash'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('candidates_number').on(t.examId, t.number), uniqueIndex('candidates_id_number').on(t.examId, t.idNumber)],
);

export const rooms = pgTable(
  'rooms',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    location: text('location').notNull().default(''),
    seats: integer('seats').notNull(),
    /** seats per row in the lab, for the seat map and the neighbour rule */
    seatsPerRow: integer('seats_per_row').notNull().default(6),
  },
  (t) => [uniqueIndex('rooms_code').on(t.examId, t.code)],
);

/** Ca thi: a date and start time, and the parts sat in it, in order. */
export const sittings = pgTable('sittings', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  examId: integer('exam_id')
    .notNull()
    .references(() => exams.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** ISO date-time of the scheduled start */
  startsAt: text('starts_at').notNull(),
  /** JSON array of exam_parts ids, in the order they are sat */
  partIds: text('part_ids').notNull(),
  /** when an invigilator opened the sitting (before the scheduled time, or for individual starts) */
  openedAt: text('opened_at'),
});

export const seatAssignments = pgTable(
  'seat_assignments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sittingId: integer('sitting_id')
      .notNull()
      .references(() => sittings.id, { onDelete: 'cascade' }),
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id),
    seatNo: integer('seat_no').notNull(),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('seat_assignments_candidate').on(t.sittingId, t.candidateId),
    uniqueIndex('seat_assignments_seat').on(t.sittingId, t.roomId, t.seatNo),
    index('seat_assignments_by_candidate').on(t.candidateId),
  ],
);

export const roomInvigilators = pgTable(
  'room_invigilators',
  {
    sittingId: integer('sitting_id')
      .notNull()
      .references(() => sittings.id, { onDelete: 'cascade' }),
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.roomId, t.userId] })],
);

/** One candidate's paper for one computer part. Frozen once the exam is ready. */
export const papers = pgTable(
  'papers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    partId: integer('part_id')
      .notNull()
      .references(() => examParts.id, { onDelete: 'cascade' }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    /** regeneration attempt mixed into the seed (neighbour rule) */
    attempt: integer('attempt').notNull().default(0),
    algorithmVersion: integer('algorithm_version').notNull(),
    bankVersion: text('bank_version').notNull(),
    /** JSON Paper */
    items: text('items').notNull(),
    digest: text('digest').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('papers_part_candidate').on(t.partId, t.candidateId)],
);

/** Each candidate's view of one paper, rendered once when the exam is ready (issue 15). */
export const paperViews = pgTable(
  'paper_views',
  {
    paperId: integer('paper_id')
      .primaryKey()
      .references(() => papers.id, { onDelete: 'cascade' }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    partId: integer('part_id')
      .notNull()
      .references(() => examParts.id, { onDelete: 'cascade' }),
    version: integer('version').notNull().default(1),
    /** UTF-8 JSON: CandidateQuestionDto[] */
    view: bytea('view').notNull(),
    /** SHA-256 (hex) of `view` */
    digest: text('digest').notNull(),
    renderedAt: bigint('rendered_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('paper_views_candidate_part').on(t.candidateId, t.partId)],
);

/** Long work (paper generation, imports, exports) with progress the UI can poll. */
export const jobs = pgTable('jobs', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  kind: text('kind').notNull(),
  examId: integer('exam_id').references(() => exams.id, { onDelete: 'cascade' }),
  /** queued | running | done | failed */
  status: text('status').notNull(),
  done: integer('done').notNull().default(0),
  total: integer('total').notNull().default(0),
  message: text('message').notNull().default(''),
  result: text('result'),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: text('created_at').notNull().default(now),
  finishedAt: text('finished_at'),
});

// ---------------------------------------------------------------------------------------------
// Delivery (issue 4)

/** The lab PC a candidate is bound to, and their acknowledgement of the rules. */
export const candidateDevices = pgTable('candidate_devices', {
  candidateId: integer('candidate_id')
    .primaryKey()
    .references(() => candidates.id, { onDelete: 'cascade' }),
  deviceId: text('device_id').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  boundAt: bigint('bound_at', { mode: 'number' }).notNull(),
  /** set by an invigilator: the next sign-in from another device takes over */
  moveAllowed: boolean('move_allowed').notNull().default(false),
  rulesAcknowledgedAt: bigint('rules_acknowledged_at', { mode: 'number' }),
});

/** One candidate sitting one computer part. Times are epoch milliseconds (server clock). */
export const attempts = pgTable(
  'attempts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    partId: integer('part_id')
      .notNull()
      .references(() => examParts.id, { onDelete: 'cascade' }),
    sittingId: integer('sitting_id')
      .notNull()
      .references(() => sittings.id),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id),
    /** running | submitted */
    status: text('status').notNull(),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    submittedAt: bigint('submitted_at', { mode: 'number' }),
    /** candidate | deadline | invigilator */
    submitReason: text('submit_reason'),
    correct: doublePrecision('correct'),
    total: integer('total'),
    score: doublePrecision('score'),
    passed: boolean('passed'),
  },
  (t) => [uniqueIndex('attempts_candidate_part').on(t.candidateId, t.partId), index('attempts_status').on(t.status)],
);

/** What happened to an attempt's clock: start, pause, resume, extend, device_switch, submit. */
export const attemptEvents = pgTable(
  'attempt_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    attemptId: integer('attempt_id')
      .notNull()
      .references(() => attempts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    /** JSON: ms for extend, reason, who */
    data: text('data').notNull().default('{}'),
  },
  (t) => [index('attempt_events_attempt').on(t.attemptId)],
);

/** The latest committed answer per question; `seq` only grows (replays with an older seq are ignored). */
export const answers = pgTable(
  'answers',
  {
    attemptId: integer('attempt_id')
      .notNull()
      .references(() => attempts.id, { onDelete: 'cascade' }),
    questionNo: integer('question_no').notNull(),
    /** JSON array of option ids */
    choice: text('choice').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    savedAt: bigint('saved_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.questionNo] })],
);

export const attemptFlags = pgTable(
  'attempt_flags',
  {
    attemptId: integer('attempt_id')
      .notNull()
      .references(() => attempts.id, { onDelete: 'cascade' }),
    questionNo: integer('question_no').notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.questionNo] })],
);

// ---------------------------------------------------------------------------------------------
// Invigilation (issue 5)

/** An invigilator opened the sitting for one room (before, or instead of, the scheduled time). */
export const roomOpenings = pgTable(
  'room_openings',
  {
    sittingId: integer('sitting_id')
      .notNull()
      .references(() => sittings.id, { onDelete: 'cascade' }),
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    openedAt: bigint('opened_at', { mode: 'number' }).notNull(),
    openedBy: integer('opened_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.roomId] })],
);

/**
 * The incident log (biên bản) of a room: every invigilator action with its reason. Append-only
 * (triggers in 0005_proctor_guards); ids are plain integers so an exam's deletion never cascades here.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sittingId: integer('sitting_id').notNull(),
    roomId: integer('room_id').notNull(),
    candidateId: integer('candidate_id'),
    attemptId: integer('attempt_id'),
    /** open_sitting | pause | resume | extend | allow_move | sanction | force_submit | message | seal */
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    /** JSON: minutes, level, text, … */
    details: text('details').notNull().default('{}'),
    userId: integer('user_id'),
    userName: text('user_name').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('incidents_room').on(t.sittingId, t.roomId), index('incidents_candidate').on(t.candidateId)],
);

/** Sanctions recorded in the room (khiển trách, cảnh cáo, đình chỉ thi); the results use them. */
export const sanctions = pgTable(
  'sanctions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id').notNull(),
    candidateId: integer('candidate_id').notNull(),
    /** the exam part sat when it was recorded (null: between parts) */
    partId: integer('part_id'),
    attemptId: integer('attempt_id'),
    /** khien_trach | canh_cao | dinh_chi | huy_ket_qua */
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    incidentId: integer('incident_id'),
    userId: integer('user_id'),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('sanctions_candidate').on(t.candidateId)],
);

/** An invigilator closed the room (every attempt had ended). Append-only (triggers in 0007_lifecycle). */
export const roomClosures = pgTable(
  'room_closures',
  {
    sittingId: integer('sitting_id').notNull(),
    roomId: integer('room_id').notNull(),
    closedAt: bigint('closed_at', { mode: 'number' }).notNull(),
    closedBy: integer('closed_by'),
    incidentId: integer('incident_id'),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.roomId] })],
);

/** A seated candidate who never started a part, confirmed absent (vắng) when the room closed. Append-only. */
export const absences = pgTable(
  'absences',
  {
    sittingId: integer('sitting_id').notNull(),
    roomId: integer('room_id').notNull(),
    candidateId: integer('candidate_id').notNull(),
    partId: integer('part_id').notNull(),
    recordedAt: bigint('recorded_at', { mode: 'number' }).notNull(),
    confirmedBy: integer('confirmed_by'),
  },
  (t) => [primaryKey({ columns: [t.candidateId, t.partId] }), index('absences_sitting').on(t.sittingId, t.roomId)],
);

/** The sealed data export of a sitting (TT 22/2025): made once, its SHA-256 printed on the result sheets. */
export const sittingExports = pgTable('sitting_exports', {
  sittingId: integer('sitting_id').primaryKey(),
  sha256: text('sha256').notNull(),
  data: bytea('data').notNull(),
  attempts: integer('attempts').notNull(),
  answers: integer('answers').notNull(),
  sealedAt: bigint('sealed_at', { mode: 'number' }).notNull(),
  sealedBy: integer('sealed_by'),
});

// ---------------------------------------------------------------------------------------------
// Results (issue 6)

/** How a part not sat on computer is marked (the regulations do not say; the board sets it). */
export const markingRules = pgTable('marking_rules', {
  partId: integer('part_id')
    .primaryKey()
    .references(() => examParts.id, { onDelete: 'cascade' }),
  markers: integer('markers').notNull().default(1),
  maxDifference: doublePrecision('max_difference').notNull().default(0),
  combine: text('combine').notNull().default('average'),
});

/** A marker's score (marker 1 or 2) or the board's resolution (marker 0); null score = absent. */
export const partMarks = pgTable(
  'part_marks',
  {
    partId: integer('part_id')
      .notNull()
      .references(() => examParts.id, { onDelete: 'cascade' }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    marker: integer('marker').notNull(),
    score: doublePrecision('score'),
    reason: text('reason'),
    enteredBy: integer('entered_by').references(() => users.id),
    enteredAt: text('entered_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.partId, t.candidateId, t.marker] })],
);

/** A corrected or voided question key, with the before/after report of the re-scoring. */
export const keyCorrections = pgTable(
  'key_corrections',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    versionId: integer('version_id').notNull(),
    /** rekey | void */
    kind: text('kind').notNull(),
    /** JSON option ids (rekey) */
    correct: text('correct'),
    /** full_marks | drop (void) */
    mode: text('mode'),
    reason: text('reason').notNull(),
    /** JSON KeyCorrectionReport */
    report: text('report').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('key_corrections_exam').on(t.examId)],
);

/** The head's order for a tie the chain left open. */
export const tieDecisions = pgTable(
  'tie_decisions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    positionId: integer('position_id').notNull(),
    /** JSON candidate ids in the decided order */
    candidateIds: text('candidate_ids').notNull(),
    reason: text('reason').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    /** the head's decision as a formal record (issue 13): number, date signed, signer */
    decisionNumber: text('decision_number'),
    decisionDate: text('decision_date'),
    signer: text('signer'),
  },
  (t) => [index('tie_decisions_exam').on(t.examId)],
);

/** Publication of an exam's results: the frozen snapshot and its digest. Revoked only by a key correction. */
export const resultPublications = pgTable(
  'result_publications',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    /** JSON ExamResultsDto as published */
    snapshot: text('snapshot').notNull(),
    sha256: text('sha256').notNull(),
    publishedBy: integer('published_by').references(() => users.id),
    publishedByName: text('published_by_name').notNull(),
    publishedAt: text('published_at').notNull(),
    revokedAt: text('revoked_at'),
    revokedReason: text('revoked_reason'),
    /** 1 for the first publication, +1 for each republication after phúc khảo (issue 13) */
    version: integer('version').notNull().default(1),
    previousSha256: text('previous_sha256'),
    /** JSON before/after report of a republication */
    report: text('report'),
  },
  (t) => [index('result_publications_exam').on(t.examId)],
);

// ---------------------------------------------------------------------------------------------
// Hardening (issue 14)

/** The audit chain's keyed links: HMAC-SHA256 with a key kept outside the database (db/auditKey.ts); append-only. */
export const auditMacs = pgTable('audit_macs', {
  /** audit_log.id (no foreign key: verification, not the schema, says when a row went missing) */
  auditId: integer('audit_id').primaryKey(),
  mac: text('mac').notNull(),
});

/** Failed PIN sign-ins per candidate number: a growing delay, lifted by an invigilator in the room. */
export const signinLockouts = pgTable('signin_lockouts', {
  candidateId: integer('candidate_id')
    .primaryKey()
    .references(() => candidates.id, { onDelete: 'cascade' }),
  failures: integer('failures').notNull().default(0),
  lockedUntil: bigint('locked_until', { mode: 'number' }).notNull().default(0),
  lastFailedAt: bigint('last_failed_at', { mode: 'number' }).notNull(),
});
/** Phúc khảo settings of an exam: the request window (days) and which mark stands (issue 13). */
export const reviewSettings = pgTable('review_settings', {
  examId: integer('exam_id')
    .primaryKey()
    .references(() => exams.id, { onDelete: 'cascade' }),
  windowDays: integer('window_days').notNull(),
  /** 'review' | 'higher' */
  markRule: text('mark_rule').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: text('updated_at').notNull().default(now),
});

/** A candidate's phúc khảo request for one written part, recorded by the board (issue 13). */
export const reviewRequests = pgTable(
  'review_requests',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    partId: integer('part_id')
      .notNull()
      .references(() => examParts.id, { onDelete: 'cascade' }),
    /** date the request was received (YYYY-MM-DD) */
    requestedOn: text('requested_on').notNull(),
    note: text('note'),
    /** the publication the request is against */
    publicationId: integer('publication_id').notNull(),
    /** open → assigned → marked → republished */
    status: text('status').notNull().default('open'),
    reviewer1: integer('reviewer1').references(() => users.id),
    reviewer2: integer('reviewer2').references(() => users.id),
    original: doublePrecision('original'),
    review: doublePrecision('review'),
    final: doublePrecision('final'),
    republicationId: integer('republication_id'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('review_requests_exam').on(t.examId), uniqueIndex('review_requests_once').on(t.candidateId, t.partId)],
);

/** A reviewer's mark on a phúc khảo request (typed twice at entry). */
export const reviewMarks = pgTable(
  'review_marks',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    reviewer: integer('reviewer').notNull(),
    score: doublePrecision('score').notNull(),
    enteredBy: integer('entered_by').references(() => users.id),
    enteredAt: text('entered_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.reviewer] })],
);

/** A candidate's eligibility record (promotion exams): the data, computed status and the board's override. */
export const candidateEligibility = pgTable('candidate_eligibility', {
  candidateId: integer('candidate_id')
    .primaryKey()
    .references(() => candidates.id, { onDelete: 'cascade' }),
  /** JSON EligibilityData */
  data: text('data').notNull(),
  /** 'eligible' | 'not_eligible' as computed */
  status: text('status').notNull(),
  /** JSON list of reasons */
  reasons: text('reasons').notNull(),
  overrideStatus: text('override_status'),
  overrideReason: text('override_reason'),
  overrideRef: text('override_ref'),
  overrideBy: integer('override_by').references(() => users.id),
  overrideAt: text('override_at'),
  updatedAt: text('updated_at').notNull().default(now),
});

/** Grade equivalences the board records for an exam, each with its source (issue 13). */
export const gradeEquivalences = pgTable(
  'grade_equivalences',
  {
    examId: integer('exam_id')
      .notNull()
      .references(() => exams.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    equivalentTo: text('equivalent_to').notNull(),
    source: text('source').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.examId, t.code] })],
);

/** Per exam: Safe Exam Browser required or not, and the focus-loss policy (issue 19). */
export const examLockdown = pgTable('exam_lockdown', {
  examId: integer('exam_id')
    .primaryKey()
    .references(() => exams.id, { onDelete: 'cascade' }),
  sebRequired: boolean('seb_required').notNull().default(false),
  sebStartUrl: text('seb_start_url'),
  focusPolicy: text('focus_policy').notNull().default('warn'),
  focusLimit: integer('focus_limit').notNull().default(3),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: text('updated_at').notNull().default(now),
});

/** Extra time granted to a candidate by the board before the sitting, with its reason (issue 19). */
export const candidateAccommodations = pgTable('candidate_accommodations', {
  candidateId: integer('candidate_id')
    .primaryKey()
    .references(() => candidates.id, { onDelete: 'cascade' }),
  extraMinutes: integer('extra_minutes').notNull().default(0),
  reason: text('reason').notNull(),
  setBy: integer('set_by').references(() => users.id),
  setAt: text('set_at').notNull().default(now),
});

/** Focus losses and full-screen exits reported by the candidate page, and invigilators' unlocks (issue 19). */
export const lockdownEvents = pgTable(
  'lockdown_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'cascade' }),
    attemptId: integer('attempt_id'),
    kind: text('kind').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('lockdown_events_candidate').on(t.candidateId, t.id)],
);
