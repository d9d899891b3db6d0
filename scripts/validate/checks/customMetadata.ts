import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { didYouMean, type FieldInfo, type ProjectModel } from '../model';
import type { CheckContext } from '../types';
import { splitOnce } from './fields';

/** One custom metadata record (`customMetadata/SLA_Policy.Lead_Accept.md-meta.xml`). */
export interface MetadataRecord {
  /** `SLA_Policy__mdt` */
  type: string;
  /** `Lead_Accept` */
  developerName: string;
  file: string;
  root: XmlElement;
  /** Values by field API name (lower case): the text (undefined when nil) and the <value> element. */
  values: Map<string, { field: string; text: string | undefined; el: XmlElement }>;
}

export function readRecords(model: ProjectModel, type?: string): MetadataRecord[] {
  const out: MetadataRecord[] = [];
  for (const c of model.byType('CustomMetadata')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const [typeName, developerName] = splitOnce(c.fullName);
    const rec: MetadataRecord = { type: `${typeName}__mdt`, developerName, file: c.xml, root, values: new Map() };
    if (type && rec.type.toLowerCase() !== type.toLowerCase()) continue;
    for (const v of childrenNamed(root, 'values')) {
      const field = childText(v, 'field');
      const valueEl = childNamed(v, 'value') ?? v;
      const nil = valueEl === v || valueEl.attributes['xsi:nil'] === 'true';
      rec.values.set(field.toLowerCase(), { field, text: nil ? undefined : valueEl.text, el: valueEl });
    }
    out.push(rec);
  }
  return out;
}

/** The xsi:type a custom metadata value of each field type carries. */
function expectedXsiTypes(field: FieldInfo): string[] {
  switch (field.type) {
    case 'boolean':
      return ['xsd:boolean'];
    case 'double':
    case 'percent':
    case 'currency':
      return ['xsd:double', 'xsd:int', 'xsd:long', 'xsd:decimal'];
    case 'date':
      return ['xsd:date'];
    case 'datetime':
      return ['xsd:dateTime'];
    default:
      return ['xsd:string'];
  }
}

/**
 * Custom metadata records belong to a type of the project, have a valid DeveloperName and label,
 * and give each field a value it can hold: the right xsi:type, a picklist value the field has,
 * text within its length, numbers within their precision; required fields are set.
 */
export function checkCustomMetadata(ctx: CheckContext): void {
  const { model, findings } = ctx;
  for (const rec of readRecords(model)) {
    const { file, root } = rec;
    const type = model.object(rec.type);
    if (!type || !type.customMetadata) {
      findings.add(
        file,
        root.line,
        `record of ${rec.type}, which is not a custom metadata type of the project${didYouMean(
          rec.type,
          [...model.objects.values()].filter((o) => o.customMetadata).map((o) => o.name)
        )}`
      );
      continue;
    }
    if (!/^[A-Za-z](?!.*__)\w*$/.test(rec.developerName) || rec.developerName.endsWith('_') || rec.developerName.length > 40) {
      findings.add(
        file,
        root.line,
        `"${rec.developerName}" is not a valid DeveloperName (a letter, then letters, digits and single underscores, at most 40 characters)`
      );
    }
    const label = childNamed(root, 'label');
    if (!label?.text) findings.add(file, root.line, `record ${rec.developerName} needs a <label>`);
    else if (label.text.length > 40) findings.add(file, label.line, `label is ${label.text.length} characters; at most 40`);

    const seen = new Set<string>();
    for (const v of childrenNamed(root, 'values')) {
      const fieldEl = childNamed(v, 'field');
      const name = fieldEl?.text ?? '';
      const line = fieldEl?.line ?? v.line;
      if (seen.has(name.toLowerCase())) findings.add(file, line, `${name} is set twice`);
      seen.add(name.toLowerCase());
      const field = type.fields.get(name.toLowerCase());
      if (!field || !field.custom) {
        findings.add(file, line, `${model.unknownField(type, name)}${field ? ' as a custom field' : ''}`);
        continue;
      }
      const valueEl = childNamed(v, 'value');
      if (!valueEl || valueEl.attributes['xsi:nil'] === 'true') continue;
      const where = `${type.name}.${field.name}`;
      const xsi = valueEl.attributes['xsi:type'];
      const expected = expectedXsiTypes(field);
      if (xsi && !expected.includes(xsi)) {
        findings.add(file, valueEl.line, `${where} (${field.def?.rawType ?? field.type}) takes ${expected[0]} values, not ${xsi}`);
        continue;
      }
      const text = valueEl.text;
      const problem = valueProblem(field, text);
      if (problem) findings.add(file, valueEl.line, `${where}: ${problem}`);
    }
    for (const f of type.fields.values()) {
      if (!f.custom || !f.def?.required) continue;
      const v = rec.values.get(f.name.toLowerCase());
      if (!v || v.text === undefined || v.text === '') findings.add(file, root.line, `required field ${type.name}.${f.name} has no value`);
    }
  }
}

/** Why `text` cannot be a value of `field` (undefined when it can). */
export function valueProblem(field: FieldInfo, text: string): string | undefined {
  switch (field.type) {
    case 'boolean':
      return text === 'true' || text === 'false' ? undefined : `"${text}" is not true or false`;
    case 'double':
    case 'percent':
    case 'currency': {
      if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) return `"${text}" is not a number`;
      const precision = field.def?.precision;
      const scale = field.def?.scale ?? 0;
      const intDigits = text.replace(/^[+-]/, '').split('.')[0].replace(/^0+/, '').length;
      if (precision !== undefined && intDigits > precision - scale) {
        return `${text} has more than ${precision - scale} digit(s) before the decimal point (Number(${precision},${scale}))`;
      }
      return undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? undefined : `"${text}" is not a date (YYYY-MM-DD)`;
    case 'datetime':
      return Number.isNaN(Date.parse(text)) ? `"${text}" is not a date/time` : undefined;
    case 'picklist': {
      const values = field.picklistValues ?? [];
      return values.includes(text) ? undefined : `no picklist value "${text}"${didYouMean(text, values)} (values: ${values.join(', ')})`;
    }
    default:
      if (field.length !== undefined && text.length > field.length)
        return `value is ${text.length} characters; the field holds ${field.length}`;
      return undefined;
  }
}
