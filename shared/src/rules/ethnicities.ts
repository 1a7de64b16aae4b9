/**
 * The 54 ethnic groups of Việt Nam (issue 13): ethnicity is chosen from this list, not typed.
 *
 * Sources: "Danh mục các thành phần dân tộc Việt Nam" (QĐ 121-TCTK/PPCĐ 2/3/1979, re-issued with
 * QĐ 1019/QĐ-TCTK 12/11/2008, Tổng cục Thống kê); names as spelled in the 2019 census tables (GSO).
 * Who is a minority: NĐ 05/2011/NĐ-CP Điều 4 k2–3: the groups with fewer people than the majority
 * group; the majority is Kinh (Việt), so the other 53 are ethnic minorities.
 * The numeric codes of the danh mục are not reproduced (only 01 Kinh was verified); rows carry a
 * stable slug instead.
 */
import { searchKey } from '../util/text.js';

export interface Ethnicity {
  /** stable id (ASCII, lower case) */
  id: string;
  /** the name as the danh mục spells it */
  name: string;
  /** other names accepted on import */
  aliases: string[];
  minority: boolean;
}

const MINORITIES = [
  'Tày',
  'Thái',
  'Hoa',
  'Khơ-me',
  'Mường',
  'Nùng',
  'Mông',
  'Dao',
  'Gia-rai',
  'Ngái',
  'Ê-đê',
  'Ba-na',
  'Xơ-đăng',
  'Sán Chay',
  'Cơ-ho',
  'Chăm',
  'Sán Dìu',
  'Hrê',
  'Mnông',
  'Ra-glai',
  'Xtiêng',
  'Bru-Vân Kiều',
  'Thổ',
  'Giáy',
  'Cơ-tu',
  'Gié-Triêng',
  'Mạ',
  'Khơ-mú',
  'Co',
  'Ta-ôi',
  'Chơ-ro',
  'Kháng',
  'Xinh-mun',
  'Hà Nhì',
  'Chu-ru',
  'Lào',
  'La Chí',
  'La Ha',
  'Phù Lá',
  'La Hủ',
  'Lự',
  'Lô Lô',
  'Chứt',
  'Mảng',
  'Pà Thẻn',
  'Cơ Lao',
  'Cống',
  'Bố Y',
  'Si La',
  'Pu Péo',
  'Brâu',
  'Ơ Đu',
  'Rơ-măm',
] as const;

/** Other spellings seen on forms, by group. */
const ALIASES: Record<string, string[]> = {
  Mông: ['Hmông', "H'mông", 'Mèo'],
  'Khơ-me': ['Khmer', 'Khơ me'],
  Hoa: ['Hán'],
  'Ê-đê': ['Ê Đê', 'Ra-đê'],
  'Ba-na': ['Bana'],
  'Gia-rai': ['Gia Rai', 'Giơ-rai'],
  'Cơ-ho': ['Cơ Ho'],
  'Xơ-đăng': ['Xơ Đăng'],
  'Ra-glai': ['Raglai', 'Ra Glai'],
  Xtiêng: ['Stiêng'],
  'Khơ-mú': ['Khơ Mú', 'Khmu'],
  'Ta-ôi': ['Tà Ôi'],
  'Chơ-ro': ['Chơ Ro'],
  'Chu-ru': ['Chu Ru'],
  'Cơ-tu': ['Cơ Tu'],
  'Gié-Triêng': ['Gié Triêng'],
  'Rơ-măm': ['Rơ Măm'],
  'La Chí': ['La Chi'],
};

const slug = (s: string) =>
  searchKey(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export const ETHNICITIES: readonly Ethnicity[] = [
  { id: 'kinh', name: 'Kinh (Việt)', aliases: ['Kinh', 'Việt', 'Việt (Kinh)', 'Kinh (Việt)', '01'], minority: false },
  ...MINORITIES.map((name) => ({ id: slug(name), name, aliases: ALIASES[name] ?? [], minority: true })),
];

const key = (s: string) =>
  searchKey(s)
    .replace(/^dan toc\s+/, '')
    .replace(/[^a-z0-9]+/g, '');

const BY_KEY = new Map<string, Ethnicity>();
for (const e of ETHNICITIES) for (const n of [e.id, e.name, ...e.aliases]) BY_KEY.set(key(n), e);

/** The group a written ethnicity names ("Việt (Kinh)", "dân tộc Tày", "H'mông"), or null. */
export function findEthnicity(text: string): Ethnicity | null {
  if (!text.trim()) return null;
  return BY_KEY.get(key(text)) ?? null;
}

/**
 * Whether the ethnicity written on a record is an ethnic minority: true for the 53 groups other
 * than Kinh, false for Kinh under any of its names, null when the text names no group of the list.
 */
export function isEthnicMinority(text: string): boolean | null {
  const e = findEthnicity(text);
  return e ? e.minority : null;
}
