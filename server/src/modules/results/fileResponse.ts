import { fileResponse as fileContent } from '@exam/shared';

export { XLSX_MIME } from '@exam/shared';

/** The responses of a route that sends a file (shared/contracts/common.ts's fileResponse under 200). */
export const fileResponse = (mime: string) => ({ 200: fileContent(mime) });
