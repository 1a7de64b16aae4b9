import { Type } from '@sinclair/typebox';

/**
 * The sealed prefetch's routes (issue 15): the plan's schema is delivery's PrefetchPlanSchema
 * (contracts/delivery.ts); the sealed paper itself is bytes.
 */

/** A sealed paper: 1 byte format ‖ 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag. */
export const SealedPaperBytes = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });
