import { type Static, Type } from '@sinclair/typebox';
import type { PrefetchPlanDto } from './delivery.js';

/**
 * The sealed prefetch's routes (issue 15), as response schemas: the plan (when to download which
 * sealed paper) and the sealed paper itself (bytes).
 */
export const PrefetchPlanSchema = Type.Object({
  serverNow: Type.Number(),
  items: Type.Array(
    Type.Object({ partId: Type.Integer(), version: Type.Integer(), bytes: Type.Integer(), fetchAt: Type.Number() }),
  ),
});
// the schema is delivery's PrefetchPlanDto, no more and no less
const _planMatches: [PrefetchPlanDto] extends [Static<typeof PrefetchPlanSchema>]
  ? [Static<typeof PrefetchPlanSchema>] extends [PrefetchPlanDto]
    ? true
    : never
  : never = true;

/** A sealed paper: 1 byte format ‖ 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag. */
export const SealedPaperBytes = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });
