import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { STANDARD_OBJECT_MAP } from '../../metadata/standardObjects';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';

/** Field types a custom metadata type may have (Salesforce: "Custom Metadata Types Field Types"). */
const MDT_FIELD_TYPES = new Set([
  'Checkbox',
  'Date',
  'DateTime',
  'Email',
  'MetadataRelationship',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Text',
  'TextArea',
  'LongTextArea',
  'Url'
]);

/**
 * Field definitions the platform rejects: lookups to objects that do not exist or required
 * lookups that clear themselves, picklists without values or with duplicate or several defaults,
 * lengths and precisions out of range, custom metadata fields of types it does not support, and
 * settings files for standard fields that do not exist.
 */
export function checkFields(ctx: CheckContext): void {
  const { model, findings } = ctx;
  for (const c of model.byType('CustomField')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const file = c.xml;
    const [objectName, fieldName] = splitOnce(c.fullName);
    const at = (el: XmlElement | undefined) => el?.line ?? root.line;
    if (!/__c$/i.test(fieldName)) {
      const std = STANDARD_OBJECT_MAP.get(objectName);
      if (std && !std.fields.some((f) => f.name.toLowerCase() === fieldName.toLowerCase())) {
        findings.add(
          file,
          root.line,
          `${objectName}.${fieldName} is not a standard field of ${objectName}${didYouMean(
            fieldName,
            std.fields.map((f) => f.name)
          )}`
        );
      }
      continue;
    }
    const type = childText(root, 'type');
    const where = `${objectName}.${fieldName}`;
    if (objectName.endsWith('__mdt') && type && !MDT_FIELD_TYPES.has(type)) {
      findings.add(file, at(childNamed(root, 'type')), `${where}: custom metadata types cannot have ${type} fields`);
    }
    if (type === 'Lookup' || type === 'MasterDetail') {
      const ref = childNamed(root, 'referenceTo');
      if (!ref?.text) findings.add(file, root.line, `${where}: a ${type} field needs <referenceTo>`);
      else if (!model.object(ref.text)) findings.add(file, ref.line, `${where} refers to ${model.unknownObject(ref.text)}`);
      if (!childText(root, 'relationshipName')) findings.add(file, root.line, `${where}: a ${type} field needs <relationshipName>`);
      const required = childText(root, 'required') === 'true';
      const del = childNamed(root, 'deleteConstraint');
      if (type === 'Lookup' && required && (del?.text ?? 'SetNull') === 'SetNull') {
        findings.add(
          file,
          at(del ?? childNamed(root, 'required')),
          `${where}: a required lookup cannot clear itself on delete (deleteConstraint SetNull); use Restrict`
        );
      }
    }
    if (type === 'Picklist' || type === 'MultiselectPicklist') checkValueSet(ctx, file, root, where);
    if (type === 'MultiselectPicklist' && !childText(root, 'visibleLines')) {
      findings.add(file, root.line, `${where}: a MultiselectPicklist field needs <visibleLines>`);
    }
    const length = childNamed(root, 'length');
    const len = length ? Number(length.text) : undefined;
    if (type === 'Text' && (len === undefined || len < 1 || len > 255)) {
      findings.add(file, at(length), `${where}: a Text field needs a <length> from 1 to 255`);
    }
    if ((type === 'LongTextArea' || type === 'Html') && (len === undefined || len < 256 || len > 131072)) {
      findings.add(file, at(length), `${where}: a ${type} field needs a <length> from 256 to 131072`);
    }
    if ((type === 'LongTextArea' || type === 'Html') && !childText(root, 'visibleLines')) {
      findings.add(file, root.line, `${where}: a ${type} field needs <visibleLines>`);
    }
    if (type === 'Number' || type === 'Currency' || type === 'Percent') {
      const p = childNamed(root, 'precision');
      const s = childNamed(root, 'scale');
      const precision = p ? Number(p.text) : NaN;
      const scale = s ? Number(s.text) : NaN;
      if (!(precision >= 1 && precision <= 18)) findings.add(file, at(p), `${where}: a ${type} field needs a <precision> from 1 to 18`);
      else if (!(scale >= 0 && scale <= precision))
        findings.add(file, at(s), `${where}: <scale> must be from 0 to the precision (${precision})`);
    }
  }
}

function checkValueSet(ctx: CheckContext, file: string, root: XmlElement, where: string): void {
  const vs = childNamed(root, 'valueSet');
  if (!vs) {
    ctx.findings.add(file, root.line, `${where}: a picklist field needs a <valueSet>`);
    return;
  }
  if (childText(vs, 'valueSetName')) return;
  const values = childrenNamed(childNamed(vs, 'valueSetDefinition'), 'value');
  if (values.length === 0) {
    ctx.findings.add(file, vs.line, `${where}: the picklist has no values`);
    return;
  }
  const seen = new Set<string>();
  let defaults = 0;
  for (const v of values) {
    const name = childText(v, 'fullName');
    if (seen.has(name.toLowerCase())) ctx.findings.add(file, v.line, `${where}: picklist value "${name}" appears twice`);
    seen.add(name.toLowerCase());
    if (childText(v, 'default') === 'true' && ++defaults > 1 && childText(root, 'type') === 'Picklist') {
      ctx.findings.add(file, v.line, `${where}: a picklist can have only one default value`);
    }
  }
}

/** `Lead.MQL_At__c` → [`Lead`, `MQL_At__c`]. */
export function splitOnce(name: string, sep = '.'): [string, string] {
  const i = name.indexOf(sep);
  return i < 0 ? [name, ''] : [name.slice(0, i), name.slice(i + 1)];
}
