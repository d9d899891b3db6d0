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

// ---- positioned element tree (for checks that report the line of an element) ------------------

/** One XML element with its 1-based line: what `closed-loop validate` walks to point at the offending line. */
export interface XmlElement {
  name: string;
  /** Attributes by their written name (`xsi:type`, `xmlns`), without a prefix. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (trimmed, entities decoded); '' when it has none. */
  text: string;
  line: number;
}

const treeParser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses an XML document into positioned elements and returns its root element; throws
 * MetadataXmlError (with the line) when it is not well-formed.
 */
export function parseXmlTree(source: string, file = '<string>'): XmlElement {
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new MetadataXmlError(file, valid.err.line, valid.err.msg);
  const lineAt = lineIndex(source);
  const meta = XMLParser.getMetaDataSymbol() as unknown as symbol;
  const build = (node: OrderedNode): XmlElement | undefined => {
    const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (!name) return undefined;
    const position = (node as Record<symbol, { startIndex?: number } | undefined>)[meta];
    const el: XmlElement = {
      name,
      attributes: { ...(node[':@'] ?? {}) },
      children: [],
      text: '',
      line: lineAt(position?.startIndex ?? 0)
    };
    const texts: string[] = [];
    for (const child of (node[name] as OrderedNode[] | undefined) ?? []) {
      if ('#text' in child) texts.push(String(child['#text']));
      else {
        const c = build(child);
        if (c) el.children.push(c);
      }
    }
    el.text = texts.join('').trim();
    return el;
  };
  const roots = (treeParser.parse(source) as OrderedNode[]).map(build).filter((e): e is XmlElement => e !== undefined);
  if (roots.length === 0) throw new MetadataXmlError(file, 1, 'no root element');
  return roots[0];
}

/** The children of `el` named `name`. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The first child of `el` named `name`. */
export function childNamed(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The text of the first child named `name` ('' when absent). */
export function childText(el: XmlElement | undefined, name: string): string {
  return childNamed(el, name)?.text ?? '';
}

/** Maps a character offset to its 1-based line. */
function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
