/**
 * A policy file's values are typed as the custom metadata type's fields are: the kinds the what-if checks
 * proposals against must match the SLA_Policy__mdt field metadata the package deploys, tier fields included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { POLICY_FIELD_KINDS } from '../proposal';

const FIELDS_DIR = path.join(__dirname, '../../../../force-app/main/default/objects/SLA_Policy__mdt/fields');
const KIND_OF_TYPE: Record<string, string> = { Number: 'number', Checkbox: 'boolean', Text: 'text', Picklist: 'text' };

it('every SLA_Policy__mdt field a proposal may set has the kind of its metadata type', () => {
  const files = fs.readdirSync(FIELDS_DIR).filter((f) => f.endsWith('.field-meta.xml'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const field = f.replace('.field-meta.xml', '');
    const type = /<type>([^<]+)<\/type>/.exec(fs.readFileSync(path.join(FIELDS_DIR, f), 'utf8'))?.[1] ?? '';
    expect({ field, kind: POLICY_FIELD_KINDS[field] }).toEqual({ field, kind: KIND_OF_TYPE[type] });
  }
});
