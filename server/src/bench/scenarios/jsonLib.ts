// JSON that reaches the bench from outside its own process (the server's responses, a child
// process's last line) is checked once where it arrives, against the part the bench reads.
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/** A parser of JSON text checked against `schema`; a mismatch names `what` and the first bad path. */
export function jsonChecker<S extends TSchema>(what: string, schema: S): (text: string) => Static<S> {
  const compiled = TypeCompiler.Compile(schema);
  return (text) => {
    const value: unknown = JSON.parse(text);
    if (compiled.Check(value)) return value;
    const first = compiled.Errors(value).First();
    throw new Error(`${what}: unexpected JSON at ${first?.path || '/'}: ${first?.message ?? 'invalid'}`);
  };
}
