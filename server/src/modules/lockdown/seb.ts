import { createHash, timingSafeEqual } from 'node:crypto';
import { build as buildPlist, type PlistValue } from 'plist';

/**
 * Safe Exam Browser (issue 19): the exam's `.seb` configuration, its Config Key, and the check of
 * the request hash SEB sends with every request. Moodle's `mod/quiz/accessrule/seb` is the model:
 * the Config Key is the SHA-256 of the configuration as "SEB-JSON" (SEB's developer documentation,
 * "Config Key"); SEB sends `X-SafeExamBrowser-ConfigKeyHash` = SHA-256(absolute request URL +
 * Config Key) in lowercase hex, and its JavaScript API gives the page the same value for the page's
 * own address (`SafeExamBrowser.security.configKey`).
 */

export type SebValue = PlistValue;
export type SebConfig = { [key: string]: SebValue };

const collator = new Intl.Collator('und');

/**
 * SEB-JSON: keys of every dictionary sorted case-insensitively with lower case first (allowWlan
 * before allowWLAN), empty dictionaries dropped, `originatorVersion` left out, data as Base64,
 * dates as ISO 8601, no whitespace and no escaped slashes or backslashes.
 */
export function sebJson(config: SebConfig): string {
  const { originatorVersion: _ignored, ...rest } = config;
  return encode(rest) ?? '{}';
}

function encode(v: SebValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return JSON.stringify(v).replaceAll('\\\\', '\\');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return JSON.stringify(v.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (Array.isArray(v)) return `[${v.flatMap((x) => encode(x) ?? []).join(',')}]`;
  const keys = Object.keys(v).sort(collator.compare);
  const parts = keys.flatMap((k) => {
    const inner = v[k];
    if (inner === undefined) return [];
    const e = encode(inner);
    return e === null ? [] : [`${JSON.stringify(k)}:${e}`];
  });
  // an empty dictionary is removed from its parent
  return parts.length === 0 ? null : `{${parts.join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The Config Key of a configuration. */
export function configKey(config: SebConfig): string {
  return sha256Hex(sebJson(config));
}

/** What SEB sends for `url`: SHA-256 of the URL (without its fragment) followed by the Config Key. */
export function requestHash(url: string, key: string): string {
  return sha256Hex(url.split('#')[0] + key);
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The configuration generated for an exam: SEB starts at the candidate page in full screen, only
 * this server's addresses are allowed, no printing, no spell check or dictionary, no developer
 * tools, reload allowed (the paper resumes), quitting allowed only through the exam's quit link
 * after the paper is in. `sendBrowserExamKey` makes SEB send the hash headers.
 */
export function examSebConfig(startUrl: string): SebConfig {
  const u = new URL(startUrl);
  const host = u.host;
  return {
    originatorVersion: 'vn-exam-platform',
    startURL: startUrl,
    sendBrowserExamKey: true,
    browserViewMode: 1,
    mainBrowserWindowWidth: '100%',
    mainBrowserWindowHeight: '100%',
    allowQuit: true,
    quitURL: `${u.protocol}//${host}/thi-sinh?seb=quit`,
    quitURLConfirm: true,
    allowPrint: false,
    enablePrintScreen: false,
    allowSpellCheck: false,
    allowDictionaryLookup: false,
    allowDeveloperConsole: false,
    allowBrowsingBackForward: false,
    browserWindowAllowReload: true,
    newBrowserWindowByLinkPolicy: 0,
    newBrowserWindowByScriptPolicy: 0,
    allowDownUploads: false,
    enableRightMouse: false,
    enableAppSwitcherCheck: true,
    forceAppFolderInstall: true,
    URLFilterEnable: true,
    URLFilterEnableContentFilter: false,
    URLFilterRules: [
      { action: 1, active: true, expression: `${host}/*`, regex: false },
      { action: 1, active: true, expression: `${host}`, regex: false },
    ],
  };
}

/** The `.seb` file: the configuration as an unencrypted XML property list. */
export function sebFile(config: SebConfig): string {
  return buildPlist(config);
}
