import { type Static, type TLiteral, type TSchema, type TUnion, type TUnsafe, Type } from '@sinclair/typebox';

/** A union of string literals that keeps its literal type, e.g. lit(['a','b']) : 'a' | 'b'. */
export function lit<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T[number]>[]>;
}

/** Every error answer has this shape: a stable code, a Vietnamese message, an English one. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    messageEn: Type.Optional(Type.String()),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export type IdParams = Static<typeof IdParams>;

export const Ok = Type.Object({ ok: Type.Literal(true) });

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

/**
 * A value or null as one JSON-schema type list ({ type: ['number', 'null'] }): with the server's
 * type coercion, an anyOf of null and a number turns 0 or false into null, or null into 0; a type
 * list coerces only when neither type matches (issue 13: a mark of 0 became "absent").
 */
export function orNull<T extends 'number' | 'integer' | 'boolean' | 'string'>(
  type: T,
  more: Record<string, unknown> = {},
): TUnsafe<(T extends 'boolean' ? boolean : T extends 'string' ? string : number) | null> {
  return Type.Unsafe({ ...more, type: [type, 'null'] });
}

/**
 * The response schema of a route that sends a file: its content type(s) and a binary body, so the
 * OpenAPI document says what comes back and lint:arch counts the route as having a contract.
 */
export function fileResponse(...mediaTypes: string[]) {
  return {
    description: 'Tệp / File',
    content: Object.fromEntries(
      mediaTypes.map((m) => [m, { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) }]),
    ),
  };
}
export const PDF_MIME = 'application/pdf';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
