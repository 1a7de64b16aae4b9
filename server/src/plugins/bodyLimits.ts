/**
 * Request body limits. The default is a few KB, enough for every form and action; only routes that
 * take uploads set a larger one, and all of them require a signed-in staff member (checked in the
 * onRequest hook, before the body is read), so an anonymous caller can never make the server read
 * or parse more than DEFAULT_BODY_LIMIT.
 */
import type { FastifyInstance } from 'fastify';
import { IMPORT_MAX_BODY_BYTES } from '../modules/imports/limits.js';

export const DEFAULT_BODY_LIMIT = 16 * 1024;
/** Question-bank and candidate-list imports: the largest per-format file limit (imports/limits.ts checks each format's own). */
export const IMPORT_BODY_LIMIT = IMPORT_MAX_BODY_BYTES;
/** One image for a question. */
export const IMAGE_BODY_LIMIT = 5 * 1024 * 1024;
/** A question written in the editor, with pictures pasted in as data: URIs. */
export const QUESTION_BODY_LIMIT = 8 * 1024 * 1024;
/** A batch of scores typed twice (up to 20,000 rows). */
export const SCORES_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * In an encapsulated context (the import routes), JSON bodies arrive as raw bytes like any other
 * upload: the import worker reads them, and a JSON bank file sent as application/json is imported.
 */
export function rawJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}
