/**
 * RecordRows keep records as lines of tagged cells: each record comes back with the values it was added with,
 * and its upload cells are what a Bulk upload of the record would have.
 */
import { cellText } from '../../bulk2';
import { RecordRows } from '../recordRows';

const records: Array<Record<string, unknown>> = [
  { attributes: { type: 'Lead' }, Id: '00Q000000000001AAA', Status: 'Open', NumberOfEmployees: 12, IsUnreadByOwner: true },
  { Id: '00Q000000000002AAA', Status: null, Title: 'a, "quoted"\ntitle', Description: 'with \u0001 separator' },
  { Id: '00Q000000000003AAA', Status: undefined, IsUnreadByOwner: false, NumberOfEmployees: -0.5, Title: '' },
  { Company: 'Only Company', When: new Date('2026-03-04T15:00:00.000Z') }
];

test('each record comes back with the values it was added with (an undefined field is none, as in JSON)', () => {
  const rows = new RecordRows(records);
  expect(rows.length).toBe(4);
  expect(rows.fields).toEqual(['Id', 'Status', 'NumberOfEmployees', 'IsUnreadByOwner', 'Title', 'Description', 'Company', 'When']);
  const json = (r: Record<string, unknown>) => {
    const { attributes: _a, ...rest } = r;
    return JSON.parse(JSON.stringify(rest)) as unknown;
  };
  expect(rows.slice(0, rows.length).map(json)).toEqual(records.map(json));
  expect(rows.at(2)).toEqual({ Id: '00Q000000000003AAA', IsUnreadByOwner: false, NumberOfEmployees: -0.5, Title: '' });
  expect(rows.value(1, 'Status')).toBeNull();
  expect(rows.value(2, 'Status')).toBeUndefined();
  expect(rows.value(0, 'NoSuchField')).toBeUndefined();
  expect(rows.value(1, 'Title')).toBe('a, "quoted"\ntitle');
});

test('the upload cells of a record are those of its values (null sets null, no value leaves the field alone)', () => {
  const rows = new RecordRows(records);
  records.forEach((r, i) => expect(rows.uploadTexts(i)).toEqual(rows.fields.map((f) => cellText(r[f]))));
  expect(rows.uploadTexts(1).slice(0, 2)).toEqual(['00Q000000000002AAA', '#N/A']);
});

test('an object value cannot be an upload cell', () => {
  const rows = new RecordRows([{ Id: 'x', Nested: { a: 1 } }]);
  expect(rows.at(0)).toEqual({ Id: 'x', Nested: { a: 1 } });
  expect(() => rows.uploadTexts(0)).toThrow(TypeError);
});
