import * as fs from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A metadata file that is not well-formed XML; `line` is 1-based. */
export class MetadataXmlError extends Error {
  override readonly name = 'MetadataXmlError';
  constructor(
    readonly file: string,
    readonly line: number,
    message: string
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true
});

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Parses a metadata XML string; throws MetadataXmlError (with the line) when it is not well-formed. */
export function parseXml(text: string, file = '<string>'): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new MetadataXmlError(file, valid.err.line, valid.err.msg);
  return parser.parse(text) as XmlNode;
}

export function readXml(file: string): XmlNode {
  return parseXml(fs.readFileSync(file, 'utf8'), file);
}

/** The root element's name and content (e.g. `CustomField`), ignoring attributes such as xmlns. */
export function rootOf(doc: XmlNode): { name: string; node: XmlNode } {
  const name = Object.keys(doc).find((k) => !k.startsWith('@_') && k !== '?xml');
  if (!name) throw new Error('empty XML document');
  const node = doc[name];
  return { name, node: typeof node === 'object' && !Array.isArray(node) ? node : {} };
}

/** A child that may occur once or many times, always as an array. */
export function asArray<T = XmlValue>(v: XmlValue | undefined): T[] {
  if (v === undefined || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

export function text(v: XmlValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return text(v[0]);
  const t = v['#text'];
  return typeof t === 'string' ? t : undefined;
}

export function bool(v: XmlValue | undefined): boolean {
  return text(v) === 'true';
}

export function num(v: XmlValue | undefined): number | undefined {
  const t = text(v);
  return t === undefined || t === '' ? undefined : Number(t);
}

/** 1-based line of the first occurrence of `needle` in the file's text (1 when absent). */
export function lineOf(source: string, needle: string, from = 0): number {
  const i = source.indexOf(needle, from);
  if (i < 0) return 1;
  let line = 1;
  for (let k = 0; k < i; k++) if (source.charCodeAt(k) === 10) line++;
  return line;
}
