import { hintFor } from '../hints';

describe('hints for failures sf passes through without a name of its own', () => {
  it.each([
    [
      { name: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
      { targetOrg: 'prod' },
      "the org's login session expired: log in again with npx sf org login web --alias prod"
    ],
    [{ name: 'TypeError', message: 'fetch failed' }, { local: true }, /local org does not answer .* npm start/],
    [{ name: 'TypeError', message: 'fetch failed' }, {}, /check your network connection/],
    [
      {
        name: 'LIMIT_EXCEEDED',
        message: 'The signup request failed because this organization has reached its daily scratch org signup limit'
      },
      {},
      /daily scratch org signup limit: try again tomorrow/
    ],
    [
      { name: 'Error', message: 'Permission set "Closed_Loop_Rep" not found in target org. Do you need to push source?' },
      { targetOrg: 'prod' },
      'deploy the package first: npx closed-loop org deploy --target-org prod'
    ],
    [{ name: 'SomethingElse', message: 'A fatal signup error occurred.' }, {}, undefined]
  ])('%j', (err, ctx, expected) => {
    const hint = hintFor(err, ctx);
    if (expected instanceof RegExp) expect(hint).toMatch(expected);
    else expect(hint).toBe(expected);
  });
});
