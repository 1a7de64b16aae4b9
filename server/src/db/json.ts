import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/**
 * A JSON column, checked once where it leaves the database (docs/ARCHITECTURE.md, "Data layer"):
 * the text is parsed and checked against its TypeBox schema, so the rest of the program holds a
 * value of the schema's type without an assertion. A row that does not match is a corrupt row,
 * reported with the column's name, never passed on.
 */
export class CorruptColumnError extends Error {
  readonly code = 'CORRUPT_COLUMN';
  constructor(
    readonly column: string,
    detail: string,
  ) {
    super(`column ${column} holds a value that does not match its schema: ${detail}`);
    this.name = 'CorruptColumnError';
  }
}

export interface JsonColumn<T> {
  /** Parses and checks the stored text. */
  parse(text: string): T;
  /** Parses a nullable column: null stays null. */
  parseNullable(text: string | null): T | null;
  /** Checks a value already parsed (e.g. a JSON column drizzle decoded). */
  check(value: unknown): T;
  stringify(value: T): string;
}

export function jsonColumn<S extends TSchema>(column: string, schema: S): JsonColumn<Static<S>> {
  const compiled = TypeCompiler.Compile(schema);
  const check = (value: unknown): Static<S> => {
    if (compiled.Check(value)) return value;
    const first = compiled.Errors(value).First();
    throw new CorruptColumnError(column, first ? `${first.path || '/'}: ${first.message}` : 'invalid');
  };
  const parse = (text: string): Static<S> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new CorruptColumnError(column, 'not JSON');
    }
    return check(value);
  };
  return {
    parse,
    parseNullable: (text) => (text === null ? null : parse(text)),
    check,
    stringify: (value) => JSON.stringify(value),
  };
}
