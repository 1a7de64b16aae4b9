/**
 * npm run backup -- FILE
 * Copies the live database (DATA_DIR/exam.db, or DB_FILE) to FILE with SQLite's online backup,
 * safe while the server is running an exam.
 */

import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { loadConfig } from '../config.js';
import { auditAnchor } from '../db/audit.js';
import * as schema from '../db/schema.js';
import { backupDatabase, backupName } from '../modules/admin/backup.js';

const target = process.argv[2] ?? backupName();
const config = loadConfig();
const source = process.env.DB_FILE ?? config.dbFile;
const sqlite = new Database(source, { fileMustExist: true });
sqlite.pragma('busy_timeout = 10000');
const anchor = auditAnchor(drizzle(sqlite, { schema })).text;
const r = await backupDatabase(sqlite, target);
sqlite.close();
writeFileSync(`${r.file}.anchor.txt`, `${anchor}\n`);
console.log(`Đã sao lưu ${source} -> ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.ms} ms)`);
console.log(`Mốc nhật ký / audit anchor: ${anchor} (kiểm tra: GET /api/audit/verify?anchor=${anchor})`);
