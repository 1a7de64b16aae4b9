import { write } from 'node:fs';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

/**
 * Where the log goes: a file descriptor written with plain `fs.write`, whose failures (ENOSPC on a
 * full disk, EPIPE, EIO) are counted and dropped. pino's default destination turns them into an
 * unhandled 'error' event that ends the process (issue 14): a log line is never worth a sitting.
 */
export class SafeLogStream extends Writable {
  /** lines lost to write errors */
  failed = 0;
  lastError: string | null = null;
  constructor(private readonly fd: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    write(this.fd, chunk, (err) => {
      if (err) {
        this.failed++;
        this.lastError = err.code ?? err.message;
      }
      done(); // never passes the error on: the stream must not emit 'error'
    });
  }
}

export function createLogger(level: string, fd = 1): { logger: Logger; stream: SafeLogStream } {
  const stream = new SafeLogStream(fd);
  stream.on('error', () => undefined); // belt and braces: nothing the stream does may end the process
  return { logger: pino({ level }, stream), stream };
}
