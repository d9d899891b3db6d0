import { reduceErrors } from 'c/ldsUtils';

describe('c-lds-utils reduceErrors', () => {
  it('reads a UI API read error whose body is a list', () => {
    expect(reduceErrors({ body: [{ message: 'First' }, { message: 'Second' }] })).toEqual(['First', 'Second']);
  });

  it('reads page-level errors', () => {
    expect(reduceErrors({ body: { pageErrors: [{ message: 'Page broke' }] } })).toEqual(['Page broke']);
  });

  it('reads field-level errors of every field', () => {
    const error = { body: { fieldErrors: { Reason__c: [{ message: 'Bad reason' }], Rating__c: [{ message: 'Bad rating' }] } } };
    expect(reduceErrors(error)).toEqual(['Bad reason', 'Bad rating']);
  });

  it('reads UI API DML errors (createRecord/updateRecord)', () => {
    expect(reduceErrors({ body: { output: { errors: [{ message: 'Validation rule' }], fieldErrors: {} } } })).toEqual(['Validation rule']);
    expect(reduceErrors({ body: { output: { errors: [], fieldErrors: { Status: [{ message: 'Bad status' }] } } } })).toEqual([
      'Bad status'
    ]);
  });

  it('reads body.message, JS errors and status text, and skips empty entries', () => {
    expect(reduceErrors([{ body: { message: 'Server said no' } }, new Error('Script failed'), null, { statusText: 'Gateway' }])).toEqual([
      'Server said no',
      'Script failed',
      'Gateway'
    ]);
    expect(reduceErrors({ statusText: '' })).toEqual([]);
  });
});
