import { Type } from '@sinclair/typebox';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The response schema of a route that sends a file: its content type, a binary body. */
export const fileResponse = (mime: string) => ({
  200: { description: 'Tệp / File', content: { [mime]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } },
});
