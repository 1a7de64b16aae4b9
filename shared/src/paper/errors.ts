export type PaperErrorCode = 'BLUEPRINT_INVALID' | 'POOL_INVALID' | 'BLUEPRINT_SHORTFALL' | 'NEIGHBOUR_CONFLICT';

/** A problem with the inputs of paper generation. `message` and `details` are Vietnamese, ready to show. */
export class PaperError extends Error {
  readonly code: PaperErrorCode;
  readonly details: readonly string[];

  constructor(code: PaperErrorCode, message: string, details: readonly string[] = []) {
    super(details.length > 0 ? `${message}: ${details.join('; ')}` : message);
    this.name = 'PaperError';
    this.code = code;
    this.details = details;
  }
}
