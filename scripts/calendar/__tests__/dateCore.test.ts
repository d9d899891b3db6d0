import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * One implementation of date arithmetic: scripts/calendar. No other source file may define its own
 * version of these functions (tests, which may carry deliberately simple references, and the emitted
 * LWC copy of the calendar are exempt). Import them from scripts/calendar instead.
 */
const ARITHMETIC_NAMES = [
  'addDays',
  'addWeeks',
  'addMonths',
  'addQuarters',
  'addYears',
  'subDays',
  'daysBetween',
  'daysInMonth',
  'isLeapYear',
  'dayNumber',
  'dayToDate',
  'civilDate',
  'daysFromCivil',
  'monthIndex',
  'startOfDay',
  'startOfWeek',
  'startOfMonth',
  'startOfQuarter',
  'startOfYear',
  'endOfWeek',
  'endOfMonth',
  'endOfQuarter',
  'endOfYear',
  'weekStart',
  'monthStart',
  'quarterStart',
  'yearStart',
  'quarterOf',
  'fiscalQuarterOf',
  'nthWeekday',
  'nthWeekdayOfMonth',
  'lastWeekday',
  'zonedMidnight',
  'zoneParts',
  'localToday',
  'localDay',
  'startOfLocalDay',
  'startOfLocalDate',
  'periodRange',
  'dateLiteralRange',
  'literalDays'
];

const ROOT = path.join(__dirname, '..', '..', '..');
const CALENDAR_DIR = path.join(ROOT, 'scripts', 'calendar');
const EMITTED = path.join(ROOT, 'force-app', 'main', 'default', 'lwc', 'businessCalendar', 'businessCalendar.js');

function sources(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__tests__' || entry.name === 'node_modules' || full === CALENDAR_DIR) continue;
      out.push(...sources(full, ext));
    } else if (entry.name.endsWith(ext) && full !== EMITTED) out.push(full);
  }
  return out;
}

/** Every way a file could define `name`: a function, a variable holding one, a class method, an object member. */
function definitionPattern(name: string): RegExp {
  const modifiers = '(?:(?:public|private|protected|static|async|override|export|default)\\s+)*';
  return new RegExp(
    [
      `\\bfunction\\s*\\*?\\s*${name}\\s*[<(]`,
      `\\b(?:const|let|var)\\s+${name}\\b\\s*[:=]`,
      `^\\s*${modifiers}${name}\\s*(?:<[^>\\n]*>)?\\([^)\\n]*\\)[^;\\n]*\\{\\s*$`,
      `\\b${name}\\s*:\\s*(?:function\\b|\\([^)\\n]*\\)\\s*=>)`
    ].join('|'),
    'm'
  );
}

/** `file:line name` for each definition of an arithmetic name in `text`. */
function definitionsIn(file: string, text: string): string[] {
  const found: string[] = [];
  for (const name of ARITHMETIC_NAMES) {
    const re = new RegExp(definitionPattern(name).source, 'gm');
    for (const m of text.matchAll(re)) {
      found.push(`${path.relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length} ${name}`);
    }
  }
  return found;
}

describe('date arithmetic lives in scripts/calendar only', () => {
  const files = [...sources(path.join(ROOT, 'scripts'), '.ts'), ...sources(path.join(ROOT, 'force-app'), '.js')];

  it('scans the TypeScript tooling and the components', () => {
    const rel = files.map((f) => path.relative(ROOT, f));
    expect(rel).toEqual(expect.arrayContaining(['scripts/localorg/dates.ts', 'scripts/reports/period.ts', 'scripts/seed/time.ts']));
    expect(rel.some((f) => f.startsWith('force-app/main/default/lwc/') && f.endsWith('.js'))).toBe(true);
    expect(rel.some((f) => f.startsWith('scripts/calendar/') || f.includes('__tests__'))).toBe(false);
  });

  it('finds no definition of month, quarter or day arithmetic outside it', () => {
    const found = files.flatMap((f) => definitionsIn(f, fs.readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('recognises the ways such a definition is written (and not its uses)', () => {
    const defs = [
      'function addDays(date: string, days: number): string {',
      'export function startOfMonth<T>(d: T) {',
      'const quarterOf = (month: number) => Math.ceil(month / 3);',
      'let zonedMidnight: (d: string) => number;',
      '  private dayNumber(y: number, m: number, d: number): number {',
      '  static addMonths(date: string, n: number) {',
      'const helpers = { daysInMonth: (y, m) => 31 };',
      'const helpers = { startOfWeek: function (d) { return d; } };'
    ];
    for (const d of defs) expect(definitionsIn('x.ts', d)).toHaveLength(1);
    const uses = [
      "import { addDays, daysInMonth } from '../calendar';",
      'const to = addDays(period.to, 1);',
      '  addDays(today, -1);',
      'if (day > daysInMonth(year, month)) return undefined;',
      'export { localDay, startOfLocalDay } from "./localTime";',
      'const r = { start: monthStart };'
    ];
    for (const u of uses) expect(definitionsIn('x.ts', u)).toEqual([]);
  });
});
