/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix + 12), and the
 * 18-character case-insensitive form with its 3-character checksum suffix.
 */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_CHARS = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 3-character suffix that makes a 15-character id case-insensitive. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX_CHARS.charAt(bits);
  }
  return out;
}

/** The 18-character form of a 15- or 18-character id, or undefined when `s` is not an id. */
export function normalizeId(s: unknown): string | undefined {
  if (typeof s !== 'string' || !ID_CHARS.test(s)) return undefined;
  const id15 = s.slice(0, 15);
  const id18 = id15 + idSuffix(id15);
  if (s.length === 18 && s.toUpperCase() !== id18.toUpperCase()) return undefined;
  return id18;
}

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** A new 18-character id: key prefix, a fixed local "pod" marker and a sequence number. */
export function makeId(keyPrefix: string, seq: number): string {
  const id15 = `${keyPrefix}Lo${base62(seq, 10)}`;
  return id15 + idSuffix(id15);
}

/** A stable, generated key prefix for a custom object (`a0X`-style) or custom metadata type (`m0X`). */
export function generatedPrefix(name: string, taken: Set<string>): string {
  const first = name.endsWith('__mdt') ? 'm' : 'a';
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  for (let k = 0; k < 10 * 62; k++) {
    const n = (h + k) % (10 * 62);
    const prefix = `${first}${BASE62[Math.floor(n / 62)]}${BASE62[n % 62]}`;
    if (!taken.has(prefix)) return prefix;
  }
  throw new Error(`no free key prefix for ${name}`);
}

/** The local org's (fixed) organization id. */
export const ORG_ID = '00DLo0000000001AAA';
