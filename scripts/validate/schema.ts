import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';

/**
 * What each Metadata API type may contain, read from a maintained machine-readable source: the
 * TypeScript declarations `@salesforce/types` generates from Salesforce's metadata WSDL
 * (forcedotcom/wsdl), the package @salesforce/source-deploy-retrieve itself depends on. Its
 * `lib/metadata.d.ts` is parsed (not type-checked) with the TypeScript compiler API.
 *
 * jsforce's `lib/api/metadata/schema.js` is the other candidate; it was generated from an older
 * WSDL (e.g. FlexiPageRegion still has `componentInstances`, which API 64 replaced by
 * `itemInstances`), so it would reject current, valid metadata.
 */
export type PropKind = 'string' | 'boolean' | 'number' | 'any' | 'enum' | 'complex';

export interface PropSpec {
  name: string;
  kind: PropKind;
  /** The declared type name (`ValueSet`, `FieldType`, `string`). */
  typeName: string;
  /** May occur more than once. */
  array: boolean;
  optional: boolean;
  /** The allowed values of an enum. */
  values?: readonly string[];
}

export interface ComplexTypeSpec {
  name: string;
  props: ReadonlyMap<string, PropSpec>;
}

/**
 * The few elements whose WSDL type does not describe what a source file contains. Each is a
 * documented platform exception, not a list of elements.
 */
const OVERRIDES: Record<string, Record<string, PropKind>> = {
  // typed xsd:string in the WSDL; in a .js-meta.xml it is XML the LWC compiler validates with its own schema
  LightningComponentBundle: { targetConfigs: 'any' }
};

export class MetadataSchema {
  private readonly complex = new Map<string, ComplexTypeSpec>();

  private constructor(
    private readonly aliases: Map<string, TS.TypeNode>,
    private readonly ts: typeof TS,
    /** Where the element lists came from, e.g. `@salesforce/types 1.7.1`. */
    readonly source: string
  ) {}

  /** Loads the schema of the installed @salesforce/types (the copy source-deploy-retrieve uses). */
  static load(): MetadataSchema {
    const sdr = require.resolve('@salesforce/source-deploy-retrieve');
    const entry = require.resolve('@salesforce/types/metadata', { paths: [path.dirname(sdr)] });
    const dts = entry.replace(/\.js$/, '.d.ts');
    const pkgDir = path.resolve(path.dirname(dts), '..');
    const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
    return MetadataSchema.fromDeclarations(fs.readFileSync(dts, 'utf8'), `@salesforce/types ${version} (lib/metadata.d.ts)`);
  }

  /** Builds a schema from declarations in the generated `export type X = ...` form. */
  static fromDeclarations(source: string, label: string): MetadataSchema {
    // typescript is only needed here; loading it lazily keeps other commands fast
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof TS;
    const sf = ts.createSourceFile('metadata.d.ts', source, ts.ScriptTarget.Latest, false);
    const aliases = new Map<string, TS.TypeNode>();
    for (const s of sf.statements) if (ts.isTypeAliasDeclaration(s)) aliases.set(s.name.text, s.type);
    return new MetadataSchema(aliases, ts, label);
  }

  /** The complex (element-bearing) type of that name, e.g. `CustomField`, `ValueSet`; undefined when unknown or simple. */
  type(name: string): ComplexTypeSpec | undefined {
    const cached = this.complex.get(name);
    if (cached) return cached;
    const node = this.aliases.get(name);
    if (!node) return undefined;
    const props = new Map<string, PropSpec>();
    if (!this.collectProps(node, props, new Set([name]))) return undefined;
    const overrides = OVERRIDES[name] ?? {};
    for (const [prop, kind] of Object.entries(overrides)) {
      const p = props.get(prop);
      if (p) props.set(prop, { ...p, kind });
    }
    const spec: ComplexTypeSpec = { name, props };
    this.complex.set(name, spec);
    return spec;
  }

  /** Every complex type name (for diagnostics and tests). */
  typeNames(): string[] {
    return [...this.aliases.keys()].filter((n) => this.type(n) !== undefined);
  }

  private collectProps(node: TS.TypeNode, out: Map<string, PropSpec>, seen: Set<string>): boolean {
    const ts = this.ts;
    if (ts.isIntersectionTypeNode(node)) {
      let any = false;
      for (const t of node.types) any = this.collectProps(t, out, seen) || any;
      return any;
    }
    if (ts.isTypeReferenceNode(node)) {
      const ref = this.nameOf(node.typeName);
      const target = this.aliases.get(ref);
      if (!target || seen.has(ref)) return false;
      seen.add(ref);
      return this.collectProps(target, out, seen);
    }
    if (!ts.isTypeLiteralNode(node)) return false;
    for (const m of node.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = this.nameOf(m.name);
      out.set(name, this.propSpec(name, m.type, m.questionToken !== undefined));
    }
    return true;
  }

  private propSpec(name: string, type: TS.TypeNode, optional: boolean): PropSpec {
    const ts = this.ts;
    let array = false;
    let t = type;
    if (ts.isArrayTypeNode(t)) {
      array = true;
      t = t.elementType;
    }
    const base = { name, array, optional };
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { ...base, kind: 'string', typeName: 'string' };
      case ts.SyntaxKind.BooleanKeyword:
        return { ...base, kind: 'boolean', typeName: 'boolean' };
      case ts.SyntaxKind.NumberKeyword:
        return { ...base, kind: 'number', typeName: 'number' };
      case ts.SyntaxKind.AnyKeyword:
        return { ...base, kind: 'any', typeName: 'any' };
    }
    if (ts.isTypeReferenceNode(t)) {
      const typeName = this.nameOf(t.typeName);
      const target = this.aliases.get(typeName);
      if (target) {
        const values = this.enumValues(target);
        if (values) return { ...base, kind: 'enum', typeName, values };
        if (target.kind === ts.SyntaxKind.StringKeyword) return { ...base, kind: 'string', typeName };
        return { ...base, kind: 'complex', typeName };
      }
      return { ...base, kind: 'any', typeName };
    }
    return { ...base, kind: 'any', typeName: ts.SyntaxKind[t.kind] };
  }

  private nameOf(n: TS.EntityName | TS.PropertyName): string {
    const ts = this.ts;
    if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
    if (ts.isQualifiedName(n)) return n.right.text;
    return '';
  }

  private enumValues(node: TS.TypeNode): string[] | undefined {
    const ts = this.ts;
    const literal = (n: TS.TypeNode) => (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal) ? n.literal.text : undefined);
    if (ts.isUnionTypeNode(node)) {
      const values = node.types.map(literal);
      return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
    }
    const one = literal(node);
    return one === undefined ? undefined : [one];
  }
}

let shared: MetadataSchema | undefined;

/** The schema, loaded once per process. */
export function metadataSchema(): MetadataSchema {
  shared ??= MetadataSchema.load();
  return shared;
}
