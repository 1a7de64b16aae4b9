import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  fullName: text('full_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** JSON array of roles */
  roles: text('roles').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: text('created_at').notNull().default(now),
});

export const subjects = sqliteTable('subjects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const subjectMembers = sqliteTable(
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

export const topics = sqliteTable(
  'topics',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
export const questions = sqliteTable(
  'questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id),
    ref: text('ref').notNull(),
    /** the newest version (draft, submitted, approved or retired) */
    headVersionId: integer('head_version_id'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('questions_subject_ref').on(t.subjectId, t.ref)],
);

/**
 * One version of a question. Draft and submitted versions may be edited in place; an approved
 * version is never changed (a trigger enforces it): editing makes version n+1.
 */
export const questionVersions = sqliteTable(
  'question_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
    partialCredit: integer('partial_credit', { mode: 'boolean' }).notNull().default(false),
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

export const questionComments = sqliteTable('question_comments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
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

export const images = sqliteTable('images', {
  /** sha-256 of the bytes, hex */
  id: text('id').primaryKey(),
  mime: text('mime').notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  uploadedBy: integer('uploaded_by').references(() => users.id),
  createdAt: text('created_at').notNull().default(now),
});

/** Append-only, hash-chained. Triggers forbid UPDATE and DELETE. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
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
