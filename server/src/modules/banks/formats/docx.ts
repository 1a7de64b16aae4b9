/**
 * Word (.docx) in the convention Vietnamese exam boards write their banks in, read with mammoth
 * (which keeps bold, underline, tables and images) and written with docx.
 *
 *   Chuyên đề: HP2013 — Bộ máy nhà nước      (optional: the topic of the questions that follow)
 *   Câu 1. Cơ quan nào là …?                  (a stem: "Câu N." then text, tables, images)
 *   A. Quốc hội                               (options A. … H., one per paragraph, or several
 *   B. Chính phủ                               on one line separated by tabs)
 *   Mức độ: Nhận biết                         (optional lines: Mã câu hỏi, Tiêu đề, Loại, Mức độ,
 *   Giải thích: …                              Trạng thái, Căn cứ pháp lý, Từ khóa, Chấm từng
 *   …                                          phần, Cố định, Đáp án, Giải thích)
 *   HẾT
 *   | 1-A | 2-C | … |                         (an answer-key table or line "1-A, 2-C", often last)
 *
 * The right option is found, in this order, from a line "Đáp án: A" in the question, the answer
 * key ("1-A", also "1A", "1.A", "1: A, C" and two-row tables "Câu | 1 | 2" / "Đáp án | A | B"),
 * or the option's formatting: underlined, bold, red or starred (*A. or A. *text) — a mark that
 * some options have and others not. The report says which convention each question used. The
 * marking is removed from the option's text (a candidate must not see it).
 * What cannot be read is reported by question number and paragraph, never dropped silently:
 * an equation (Word's equation editor; it has to become an image or text), an embedded object,
 * a question with no recognisable key or no options, text before the first "Câu".
 * Red text is found before mammoth reads the file (mammoth has no colours): red runs get a red
 * highlight, which mammoth passes on.
 *
 * Export: the same convention (topics as "Chuyên đề:" lines, the right options underlined and
 * bold, every field as a line), so that an exported bank imports back equal; the answer key as a
 * table after "HẾT"; stored images as inline pictures (docxExportImages.ts).
 */
export { parseDocx } from './docxParse.js';
export { docxTemplate, exportDocx, paperDocx } from './docxWrite.js';
