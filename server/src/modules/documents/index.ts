export { type AdmissionSlip, type AdmissionSlipSitting, admissionSlipsPdf, SLIP_REMINDERS } from './admission-slips.js';
export { type ExamInfo, FONT_FILES, FONT_POSTSCRIPT_NAME, formatDateTimeVi, formatDateVi } from './pdf.js';
export { PIN_SLIP_TITLE, type PinSlipRow, pinSlipsPdf } from './pin-slips.js';
export { ROOM_LIST_TITLE, type RoomListRoom, type RoomListRow, type RoomListSitting, roomListPdf } from './room-list.js';
export { roomListXlsx } from './room-list-xlsx.js';
