import * as fc from 'fast-check';
import {
  soql,
  soqlDate,
  soqlDateLiteral,
  soqlDateTime,
  soqlFields,
  soqlJoin,
  soqlLike,
  soqlLiteral,
  soqlName,
  soqlTrusted,
  SoqlValueError
} from '../soql';

/** The string a SOQL string literal stands for, read as the SOQL grammar reads escapes. */
function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "'") throw new Error(`an unescaped quote ends the literal early: ${literal}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    out += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
  }
  return out;
}

describe('the soql tag writes each value as a literal of its type', () => {
  it('strings: quoted, with quotes, backslashes and control characters escaped — any string comes back whole', () => {
    expect(soql`Name = ${"O'Brien \\ Sons"}`.text).toBe("Name = 'O\\'Brien \\\\ Sons'");
    expect(soql`Description = ${'a\nb\tc'}`.text).toBe("Description = 'a\\nb\\tc'");
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => unquote(soqlLiteral(s)) === s));
  });

  it('numbers as written (no exponent), booleans, null, date-times to the second, dates, IN lists', () => {
    expect(soql`${42} ${-1.5} ${1e21} ${1e-7}`.text).toBe('42 -1.5 1000000000000000000000 0.0000001');
    expect(soql`${true} ${false} ${null} ${undefined}`.text).toBe('TRUE FALSE null null');
    expect(soql`${new Date('2026-03-04T17:00:00.750Z')}`.text).toBe('2026-03-04T17:00:00Z');
    expect(soqlDateTime(Date.parse('2026-03-04T17:00:00.750Z'), 'up').text).toBe('2026-03-04T17:00:01Z');
    expect(soql`CloseDate = ${soqlDate('2026-03-31')}`.text).toBe('CloseDate = 2026-03-31');
    expect(soql`Id IN ${['00Q1', "x'y"]}`.text).toBe("Id IN ('00Q1', 'x\\'y')");
    expect(soql`CreatedDate = ${soqlDateLiteral('last_n_days:30')}`.text).toBe('CreatedDate = LAST_N_DAYS:30');
  });

  it('refuses what is no literal: NaN, an empty IN list, objects, malformed names, dates and date literals', () => {
    expect(() => soql`${NaN}`).toThrow(SoqlValueError);
    expect(() => soql`${Infinity}`).toThrow(SoqlValueError);
    expect(() => soql`Id IN ${[]}`).toThrow(/empty IN list/);
    expect(() => soqlLiteral({} as never)).toThrow(SoqlValueError);
    expect(() => soqlName("Name'--")).toThrow(SoqlValueError);
    expect(() => soqlName('Name FROM User')).toThrow(SoqlValueError);
    expect(() => soqlDate('2026-3-4')).toThrow(SoqlValueError);
    expect(() => soqlDateLiteral("TODAY'")).toThrow(SoqlValueError);
    expect(() => soqlTrusted("Name = 'x'")).toThrow(/no string literals/);
    expect(() => soqlJoin([], "' OR '")).toThrow(SoqlValueError);
  });

  it('nests: names, field lists, joined conditions and LIKE patterns with % and _ matched literally', () => {
    const conditions = [soql`Status = ${'Open'}`, soql`Name LIKE ${soqlLike("50%_off's", 'startsWith')}`];
    expect(
      soql`SELECT ${soqlFields(['Id', 'Owner.Name', 'Id'])} FROM ${soqlName('Lead')} WHERE ${soqlJoin(conditions, ' AND ')}`.text
    ).toBe("SELECT Id, Owner.Name FROM Lead WHERE Status = 'Open' AND Name LIKE '50\\%\\_off\\'s%'");
    expect(soqlLike('a', 'contains').text).toBe("'%a%'");
    expect(soqlLike('a', 'endsWith').text).toBe("'%a'");
    expect(soqlLike('a', 'exactly').text).toBe("'a'");
  });
});
