import { CalendarError, DATE_LITERALS, DateLiteralError, dateLiteralRange, formatDate, instantRange, literalDays, dayNumber } from '..';

// a Wednesday afternoon in New York: local date 2026-03-25, in the week Sunday 22 – Saturday 28 March
const NOW = Date.parse('2026-03-25T19:07:00Z');
const NY = 'America/New_York';

/** The first and last local date a literal covers, as a report shows a period. */
function dates(literal: string, fiscal?: { startMonth: number }): string {
  const r = dateLiteralRange(literal, NOW, NY, fiscal);
  return `${formatDate(r.start)}..${formatDate(r.end - 1)}`;
}

describe('SOQL date literals', () => {
  it.each([
    ['TODAY', '2026-03-25..2026-03-25'],
    ['YESTERDAY', '2026-03-24..2026-03-24'],
    ['TOMORROW', '2026-03-26..2026-03-26'],
    ['THIS_WEEK', '2026-03-22..2026-03-28'],
    ['LAST_WEEK', '2026-03-15..2026-03-21'],
    ['NEXT_WEEK', '2026-03-29..2026-04-04'],
    ['THIS_MONTH', '2026-03-01..2026-03-31'],
    ['LAST_MONTH', '2026-02-01..2026-02-28'],
    ['NEXT_MONTH', '2026-04-01..2026-04-30'],
    ['LAST_90_DAYS', '2025-12-25..2026-03-25'],
    ['NEXT_90_DAYS', '2026-03-26..2026-06-23'],
    ['THIS_QUARTER', '2026-01-01..2026-03-31'],
    ['LAST_QUARTER', '2025-10-01..2025-12-31'],
    ['NEXT_QUARTER', '2026-04-01..2026-06-30'],
    ['THIS_YEAR', '2026-01-01..2026-12-31'],
    ['LAST_YEAR', '2025-01-01..2025-12-31'],
    ['NEXT_YEAR', '2027-01-01..2027-12-31'],
    ['LAST_N_DAYS:7', '2026-03-18..2026-03-25'],
    ['NEXT_N_DAYS:7', '2026-03-26..2026-04-01'],
    ['N_DAYS_AGO:7', '2026-03-18..2026-03-18'],
    ['N_DAYS_FROM_NOW:7', '2026-04-01..2026-04-01'],
    ['LAST_N_WEEKS:2', '2026-03-08..2026-03-21'],
    ['NEXT_N_WEEKS:2', '2026-03-29..2026-04-11'],
    ['N_WEEKS_AGO:2', '2026-03-08..2026-03-14'],
    ['LAST_N_MONTHS:2', '2026-01-01..2026-02-28'],
    ['NEXT_N_MONTHS:2', '2026-04-01..2026-05-31'],
    ['N_MONTHS_AGO:2', '2026-01-01..2026-01-31'],
    ['LAST_N_QUARTERS:2', '2025-07-01..2025-12-31'],
    ['NEXT_N_QUARTERS:2', '2026-04-01..2026-09-30'],
    ['N_QUARTERS_AGO:2', '2025-07-01..2025-09-30'],
    ['LAST_N_YEARS:2', '2024-01-01..2025-12-31'],
    ['NEXT_N_YEARS:2', '2027-01-01..2028-12-31'],
    ['N_YEARS_AGO:2', '2024-01-01..2024-12-31'],
    // the fiscal year is the calendar year unless configured
    ['THIS_FISCAL_QUARTER', '2026-01-01..2026-03-31'],
    ['LAST_FISCAL_YEAR', '2025-01-01..2025-12-31'],
    ['LAST_N_DAYS:0', '2026-03-25..2026-03-25'],
    ['today', '2026-03-25..2026-03-25'],
    ['last_n_days:7', '2026-03-18..2026-03-25']
  ])('%s covers %s', (literal, expected) => {
    expect(dates(literal)).toBe(expected);
  });

  it.each([
    ['THIS_FISCAL_YEAR', '2025-04-01..2026-03-31'],
    ['NEXT_FISCAL_YEAR', '2026-04-01..2027-03-31'],
    ['THIS_FISCAL_QUARTER', '2026-01-01..2026-03-31'],
    ['NEXT_FISCAL_QUARTER', '2026-04-01..2026-06-30'],
    ['LAST_N_FISCAL_QUARTERS:2', '2025-07-01..2025-12-31'],
    ['NEXT_N_FISCAL_YEARS:1', '2026-04-01..2027-03-31'],
    ['N_FISCAL_YEARS_AGO:1', '2024-04-01..2025-03-31'],
    ['N_FISCAL_QUARTERS_AGO:4', '2025-01-01..2025-03-31']
  ])('with a fiscal year starting in April, %s covers %s', (literal, expected) => {
    expect(dates(literal, { startMonth: 4 })).toBe(expected);
  });

  it('fiscal quarters count from the fiscal year start month', () => {
    expect(dates('THIS_FISCAL_QUARTER', { startMonth: 2 })).toBe('2026-02-01..2026-04-30');
    expect(dates('LAST_FISCAL_QUARTER', { startMonth: 11 })).toBe('2025-11-01..2026-01-31');
  });

  it('covers whole local days: THIS_MONTH in New York runs from EST midnight to EDT midnight', () => {
    const { start, end } = instantRange(dateLiteralRange('THIS_MONTH', NOW, NY), NY);
    expect(new Date(start).toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-04-01T04:00:00.000Z');
    // the same instant is already tomorrow in Tokyo
    expect(formatDate(dateLiteralRange('TODAY', NOW, 'Asia/Tokyo').start)).toBe('2026-03-26');
  });

  it('knows every literal of the SOQL grammar', () => {
    expect(DATE_LITERALS).toHaveLength(45);
    for (const name of DATE_LITERALS) {
      const literal = /(^|_)N_/.test(name) ? `${name}:3` : name;
      const r = literalDays(literal, dayNumber(2026, 3, 25));
      expect(r.end).toBeGreaterThan(r.start);
    }
  });

  it.each([
    ['SOMEDAY', 'unsupported date literal SOMEDAY'],
    ['LAST_N_DAYS', 'invalid date literal LAST_N_DAYS'],
    ['LAST_N_DAYS:', 'invalid date literal LAST_N_DAYS:'],
    ['LAST_N_DAYS:-1', 'invalid date literal LAST_N_DAYS:-1'],
    ['LAST_N_DAYS:1.5', 'invalid date literal LAST_N_DAYS:1.5'],
    ['LAST_N_DAYS:1:2', 'invalid date literal LAST_N_DAYS:1:2'],
    ['TODAY:1', 'invalid date literal TODAY:1'],
    ['LAST_N_YEARS:5000', 'date literal LAST_N_YEARS:5000 reaches outside the dates 0001-01-01 to 9999-12-31'],
    ['NEXT_N_DAYS:99999999999999999999', 'date literal NEXT_N_DAYS:99999999999999999999 reaches outside the dates 0001-01-01 to 9999-12-31']
  ])('%s is a DateLiteralError: %s', (literal, message) => {
    expect(() => dateLiteralRange(literal, NOW, NY)).toThrow(new DateLiteralError(message));
    expect(() => dateLiteralRange(literal, NOW, NY)).toThrow(CalendarError);
  });

  it('an unknown time zone or fiscal start month is a CalendarError naming it', () => {
    expect(() => dateLiteralRange('TODAY', NOW, 'Atlantis/Capital')).toThrow(expect.objectContaining({ field: 'timeZone' }));
    expect(() => dateLiteralRange('THIS_FISCAL_YEAR', NOW, NY, { startMonth: 13 })).toThrow(
      expect.objectContaining({ field: 'FiscalYearStartMonth' })
    );
  });
});
