import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { Command } from 'commander';
import { BusinessCalendar, CalendarError, WEEKDAYS, wallClock as wallClockAt } from '../../calendar';
import { CliError, oneLine } from '../errors';
import { addJsonFlag, addOrgFlags, orgTarget, parseInstantFlag } from '../flags';
import { lazy } from '../lazy';
import { createOutput } from '../output';

// only --business-hours reads the org (jsforce); file calendars never need it
const connection = lazy(() => require('../../org/connection') as typeof import('../../org/connection'));
const businessHours = lazy(() => require('../../org/businessHours') as typeof import('../../org/businessHours'));

/**
 * `closed-loop calendar add|diff|batch`: business-time math on a BusinessHours calendar, for admins
 * checking an SLA due date or how many business minutes a lead waited. Same code as the sync and the
 * components (scripts/calendar).
 */

interface CalendarSourceOptions {
  calendar?: string;
  businessHours?: string;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
}

interface AddOptions extends CalendarSourceOptions {
  from: string;
  minutes: string;
  json?: boolean;
}

interface DiffOptions extends CalendarSourceOptions {
  from: string;
  to: string;
  json?: boolean;
}

const SOURCE_HELP = `
The calendar is a BusinessHours record as the REST API returns it, plus a "holidays" array of Holiday
records (the JSON the sync stores in SLA_Calendar__c.Definition__c), e.g.
  {"Name": "New York office", "TimeZoneSidKey": "America/New_York",
   "MondayStartTime": "09:00:00.000Z", "MondayEndTime": "17:00:00.000Z", ... "SundayStartTime": null,
   "SundayEndTime": null, "holidays": [{"Name": "Labor Day", "ActivityDate": "2026-09-07"}]}
Times are wall-clock times in TimeZoneSidKey; both null = closed that day; both "00:00:00.000Z" = open 24 hours.
With --business-hours the record is read from the org (by Name, active only) and every Holiday of the org
applies (the API does not expose which business hours a holiday is attached to).`;

export function register(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('Business-time math on a BusinessHours calendar: due dates, business minutes, many at once.')
    .addHelpText(
      'after',
      `
Examples:
  $ npx closed-loop calendar add --calendar ny.json --from 2026-03-06T16:30:00-05:00 --minutes 60
  2026-03-09T13:30:00.000Z  (Mon 2026-03-09 09:30 America/New_York)
  $ npx closed-loop calendar diff --business-hours Default --from 2026-03-06T16:30:00Z --to 2026-03-09T18:00:00Z --json
  {"minutes":150}
  $ printf '%s\\n' '{"id":1,"op":"add","from":"2026-03-06T21:30:00Z","minutes":60}' | npx closed-loop calendar batch --calendar ny.json
  {"id":1,"due":"2026-03-09T13:30:00.000Z"}
${SOURCE_HELP}`
    );

  const add = calendar
    .command('add')
    .description('Print the instant N business minutes after --from (an SLA due date).')
    .requiredOption('--from <ISO>', 'Start, an ISO 8601 date-time with Z or an offset, e.g. 2026-03-06T16:30:00-05:00.')
    .requiredOption('--minutes <N>', 'Business minutes to add (at least 0; decimals allowed).');
  addCalendarSourceFlags(add);
  addJsonFlag(add);
  add.addHelpText(
    'after',
    `
Counting starts at --from when open, else at the next opening; a due date that lands on a closing time is
that closing time (16:00 + 60 minutes with a 17:00 close is 17:00 the same day). --minutes 0 prints the next
opening (or --from itself when open). Output: the due instant in UTC with milliseconds; --json: {"due": ISO}.

Examples:
  $ npx closed-loop calendar add --calendar ny.json --from 2026-03-06T16:30:00-05:00 --minutes 60
  $ npx closed-loop calendar add --business-hours "EMEA Support" --target-org prod --from 2026-12-24T11:00:00Z --minutes 240 --json`
  );
  add.action(async (opts: AddOptions) => {
    const from = parseInstantFlag('--from', opts.from);
    const minutes = parseMinutes('--minutes', opts.minutes);
    const cal = await loadCalendar(opts);
    const due = cal.add(from, minutes).toISOString();
    createOutput(Boolean(opts.json)).result({ due }, (d) => `${d.due}  (${wallClock(Date.parse(d.due), cal.timeZone)})`);
  });

  const diff = calendar
    .command('diff')
    .description('Print the business minutes between --from and --to.')
    .requiredOption('--from <ISO>', 'Start, an ISO 8601 date-time with Z or an offset.')
    .requiredOption('--to <ISO>', 'End (not before --from), an ISO 8601 date-time with Z or an offset.');
  addCalendarSourceFlags(diff);
  addJsonFlag(diff);
  diff.addHelpText(
    'after',
    `
Counts the open time in [--from, --to), to the millisecond (so the answer may have a fraction).
Output: the number of business minutes; --json: {"minutes": N}.

Examples:
  $ npx closed-loop calendar diff --calendar ny.json --from 2026-03-06T16:30:00-05:00 --to 2026-03-09T09:30:00-04:00
  $ npx closed-loop calendar diff --business-hours Default --local --from 2026-11-25T14:00:00Z --to 2026-11-30T14:00:00Z --json`
  );
  diff.action(async (opts: DiffOptions) => {
    const from = parseInstantFlag('--from', opts.from);
    const to = parseInstantFlag('--to', opts.to);
    if (to < from) throw new CliError(`--to (${opts.to}) is before --from (${opts.from})`, 2);
    const cal = await loadCalendar(opts);
    const minutes = cal.diff(from, to);
    createOutput(Boolean(opts.json)).result({ minutes }, (d) => `${formatMinutes(d.minutes)} business minutes`);
  });

  const batch = calendar
    .command('batch')
    .description('Answer many add/diff questions: JSON lines in on standard input, one JSON line out per line.');
  addCalendarSourceFlags(batch);
  addJsonFlag(batch);
  batch.addHelpText(
    'after',
    `
Each input line is a JSON object:
  {"op": "add",  "calendar": {...}, "from": ISO, "minutes": N, "id": any}   →  {"id": any, "due": ISO}
  {"op": "diff", "calendar": {...}, "from": ISO, "to": ISO, "id": any}      →  {"id": any, "minutes": N}
"id" is optional and echoed. "calendar" may be left out when --calendar or --business-hours gives one.
A line that cannot be answered gets {"id": any, "line": N, "error": "..."} and the others are still answered;
the exit code is then 1. Blank lines are skipped. Output is always JSON lines (--json changes nothing).

Example:
  $ npx closed-loop calendar batch --calendar ny.json < questions.jsonl > answers.jsonl`
  );
  batch.action(async (opts: CalendarSourceOptions & { json?: boolean }) => {
    const fallback = opts.calendar !== undefined || opts.businessHours !== undefined ? await loadCalendar(opts) : undefined;
    const cache = new Map<string, BusinessCalendar | Error>();
    let lineNo = 0;
    let failed = 0;
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      const answer = answerLine(text, lineNo, fallback, cache);
      if ('error' in answer) failed++;
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    }
    if (failed > 0) throw new CliError(`${failed} of the input lines could not be answered (see their "error" lines)`);
  });
}

function addCalendarSourceFlags(cmd: Command): void {
  cmd
    .option('--calendar <file.json>', 'Calendar file: a BusinessHours record plus "holidays" (see npx closed-loop calendar --help).')
    .option('--business-hours <Name>', 'Read the active BusinessHours with this Name (and the Holidays) from the org.');
  addOrgFlags(cmd);
}

/** The calendar from --calendar <file> or --business-hours <Name> (from the org). */
async function loadCalendar(opts: CalendarSourceOptions): Promise<BusinessCalendar> {
  if (opts.calendar !== undefined && opts.businessHours !== undefined) {
    throw new CliError('give either --calendar <file.json> or --business-hours <Name>, not both', 2);
  }
  if (opts.calendar !== undefined) {
    if (opts.targetOrg !== undefined) throw new CliError('--target-org applies only with --business-hours, not with --calendar', 2);
    return calendarFromFile(opts.calendar);
  }
  if (opts.businessHours !== undefined) {
    if (opts.businessHours.trim() === '') throw new CliError('--business-hours needs the Name of a BusinessHours record', 2);
    const conn = await connection().connect(orgTarget(opts));
    const definition = await businessHours().readCalendarDefinition(conn, opts.businessHours);
    try {
      return new BusinessCalendar(definition);
    } catch (err) {
      if (err instanceof CalendarError) throw new CalendarError(`BusinessHours "${opts.businessHours}": ${err.message}`, err.field);
      throw err;
    }
  }
  throw new CliError('say which calendar: --calendar <file.json> or --business-hours <Name>', 2);
}

function calendarFromFile(file: string): BusinessCalendar {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`--calendar ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? oneLine(err)})`}`);
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (err) {
    throw new CliError(`--calendar ${file}: not valid JSON (${oneLine(err)})`);
  }
  try {
    return new BusinessCalendar(definition as never);
  } catch (err) {
    if (err instanceof CalendarError) throw new CalendarError(`--calendar ${file}: ${err.message}`, err.field);
    throw err;
  }
}

type BatchAnswer = { id?: unknown; due: string } | { id?: unknown; minutes: number } | { id?: unknown; line: number; error: string };

function answerLine(
  text: string,
  lineNo: number,
  fallback: BusinessCalendar | undefined,
  cache: Map<string, BusinessCalendar | Error>
): BatchAnswer {
  let id: unknown;
  const withId = <T extends object>(answer: T): T & { id?: unknown } => (id === undefined ? answer : { id, ...answer });
  try {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch (err) {
      throw new Error(`not valid JSON (${oneLine(err)})`);
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new Error('each line must be a JSON object');
    const r = request as Record<string, unknown>;
    id = r.id;
    if (r.op !== 'add' && r.op !== 'diff') throw new Error(`op must be "add" or "diff", got ${JSON.stringify(r.op)}`);
    const cal = r.calendar === undefined ? fallback : cachedCalendar(r.calendar, cache);
    if (!cal) throw new Error('calendar is required (or give --calendar <file.json> or --business-hours <Name>)');
    const from = parseInstantFlag('from', r.from);
    if (r.op === 'add') {
      if (typeof r.minutes !== 'number' || !Number.isFinite(r.minutes) || r.minutes < 0) {
        throw new Error(`minutes must be a number of at least 0, got ${JSON.stringify(r.minutes)}`);
      }
      return withId({ due: cal.add(from, r.minutes).toISOString() });
    }
    const to = parseInstantFlag('to', r.to);
    if (to < from) throw new Error(`to (${String(r.to)}) is before from (${String(r.from)})`);
    return withId({ minutes: cal.diff(from, to) });
  } catch (err) {
    return withId({ line: lineNo, error: oneLine(err) });
  }
}

function cachedCalendar(definition: unknown, cache: Map<string, BusinessCalendar | Error>): BusinessCalendar {
  const key = JSON.stringify(definition);
  let cal = cache.get(key);
  if (cal === undefined) {
    try {
      cal = new BusinessCalendar(definition as never);
    } catch (err) {
      cal = err instanceof CalendarError ? new CalendarError(`calendar: ${err.message}`, err.field) : (err as Error);
    }
    cache.set(key, cal);
  }
  if (cal instanceof Error) throw cal;
  return cal;
}

function parseMinutes(name: string, value: string): number {
  const n = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !Number.isFinite(n)) {
    throw new CliError(`${name} must be a number of minutes, at least 0, got "${value}"`, 2);
  }
  return n;
}

function formatMinutes(minutes: number): string {
  return Number.isInteger(minutes) ? String(minutes) : String(Math.round(minutes * 1000) / 1000);
}

/** "Mon 2026-03-09 09:30 America/New_York": the instant on the calendar's own wall clock. */
function wallClock(t: number, timeZone: string): string {
  const w = wallClockAt(t, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = w.second === 0 ? '' : `:${pad(w.second)}`;
  return `${WEEKDAYS[w.weekday].slice(0, 3)} ${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}${seconds} ${timeZone}`;
}
