/**
 * The reports server's What-if page (`/whatif`): a form with the active SLA policies' targets and warning
 * percentages, the weekday business hours of the Accept policy's calendar and the period; each submission (a GET
 * of the same page) replays the org's history under the edited values beside the current ones and draws the
 * figures and charts (html.ts), with a sweep of the Accept target. An invalid value is shown beside the form,
 * one line naming the field; nothing is written. The history comes from the server's HistoryKeeper (kept between
 * edits while the org does not change: keptHistory.ts) and the page says when it was read. An org whose SLA setup
 * the sync would refuse (a nurture queue the policy names that does not exist, business hours it cannot find) gets
 * the reason and what an admin sets up, not a failure.
 */
import type { Connection } from 'jsforce';
import { BusinessCalendar, CalendarError } from '../../calendar';
import type { CalendarDefinition } from '../../calendar';
import { ReportPeriodError } from '../../reports/errors';
import { parsePeriod } from '../../reports/period';
import { SlaPolicyError } from '../clock';
import type { SlaPolicy } from '../clock';
import { SyncSetupError } from '../syncSetup';
import { renderWhatIfHtml } from './html';
import type { WhatIfHtmlOptions } from './html';
import { readHistory } from './history';
import { runWhatIf } from './index';
import type { HistoryKeeper, KeptHistory } from './keptHistory';
import type { WhatIfResult } from './index';
import { WhatIfFlagError, parseSet } from './proposal';
import type { PolicySet } from './proposal';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const SWEEP_VALUES = [15, 30, 45, 60, 90, 120, 180, 240, 360, 480];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface WhatIfPageOptions extends Pick<WhatIfHtmlOptions, 'nonce' | 'nav' | 'fragment'> {
  now?: Date;
  /** the histories kept between replays (the reports server's); without it every replay reads the history */
  histories?: HistoryKeeper;
}

const TITLE = { title: 'SLA what-if', subtitle: 'the org’s history replayed under a proposed policy' };

/**
 * The page for these query parameters: status 200, 400 with the refusal shown beside the form, or 409 when the
 * org's own policies cannot be run as it is set up (the reason, and what an admin sets up; no form).
 */
export async function whatIfPage(
  conn: Connection,
  params: URLSearchParams,
  opts: WhatIfPageOptions = {}
): Promise<{ status: number; body: string }> {
  let read: KeptHistory;
  try {
    read = opts.histories ? await opts.histories.get(conn) : { history: await readHistory(conn), readAt: new Date(), kept: false };
  } catch (e) {
    // the org's own policies cannot be run as it is set up: nothing to replay, and nothing a form could change
    if (e instanceof SlaPolicyError || e instanceof SyncSetupError) {
      return { status: 409, body: renderWhatIfHtml(null, { ...opts, ...TITLE, error: e.message, errorHelp: setupHelp(e.message) }) };
    }
    throw e;
  }
  const { history, readAt } = read;
  const policies = [...history.current.policies.Lead, ...history.current.policies.Opportunity];
  const accept = policies.find((p) => p.clock === 'Accept') ?? policies[0];
  const definition = accept ? history.current.calendarOf.get(accept.developerName)?.definition : undefined;
  const periodText = (params.get('period') ?? 'last-quarter').trim();
  const form = formHtml(params, policies, definition, periodText);
  const page = (status: number, result: WhatIfResult | null, error?: string) => ({
    status,
    body: renderWhatIfHtml(result, {
      ...opts,
      ...TITLE,
      formHtml: form,
      error,
      history: opts.histories ? { readAt, keptMinutes: Math.round(opts.histories.maxAgeMs / 60_000) } : undefined
    })
  });
  try {
    const period = parsePeriod(periodText);
    const sets: PolicySet[] = [];
    for (const p of policies) {
      for (const [key, field] of [
        ['target', 'Target_Minutes__c'],
        ['warn', 'Warning_Percent__c']
      ] as const) {
        const v = params.get(`${key}.${p.developerName}`);
        if (v === null) continue;
        const current = field === 'Target_Minutes__c' ? p.targetMinutes : p.warningPercent;
        if (v.trim() === String(current ?? '')) continue;
        sets.push(
          parseSet(`${p.developerName}.${field}=${v.trim()}`, field === 'Target_Minutes__c' ? `${p.clock} target` : `${p.clock} warning %`)
        );
      }
    }
    const calendar = proposedHours(params, definition);
    const result = await runWhatIf(conn, {
      period,
      now: opts.now?.getTime(),
      sets,
      calendar,
      history,
      compare: true,
      sweep: accept ? { policy: accept.developerName, field: 'Target_Minutes__c', values: SWEEP_VALUES } : null
    });
    return page(200, result);
  } catch (e) {
    if (e instanceof ReportPeriodError || e instanceof WhatIfFlagError || e instanceof SlaPolicyError || e instanceof CalendarError) {
      return page(400, null, e.message);
    }
    throw e;
  }
}

/** What an admin sets up for a setup the sync refuses (the refusal names the policy and field). */
function setupHelp(message: string): string {
  const policies = 'Setup → Custom Metadata Types → SLA Policy → Manage Records';
  const fix = /Recycle_Queue__c/.test(message)
    ? `An admin creates the nurture queue in Setup → Queues, with Lead among its supported objects, or changes the policy’s Recycle Queue to an existing queue (${policies}).`
    : /Business_Hours_Name__c|BusinessHours/.test(message)
      ? `An admin sets up the business hours in Setup → Company Settings → Business Hours, or names existing active ones in the policy’s Business Hours Name (${policies}).`
      : `An admin corrects the policy in ${policies}.`;
  return `The what-if replays the org’s SLA policies as the SLA sync runs them, and the sync refuses them as the org is set up, so there is nothing to replay yet. ${fix} The admin guide (docs/admin-guide.md, “Map your Lead Status values”) describes each field. Then reload this page.`;
}

function hhmm(t: unknown): string {
  return typeof t === 'string' ? t.slice(0, 5) : '';
}

/** The weekday hours as edited, as a proposed calendar (null when they are the calendar's own). */
function proposedHours(
  params: URLSearchParams,
  definition: CalendarDefinition | undefined
): { definition: CalendarDefinition; calendar: BusinessCalendar } | null {
  if (!definition) return null;
  const d = definition as unknown as Record<string, unknown>;
  const opens = (params.get('opens') ?? '').trim();
  const closes = (params.get('closes') ?? '').trim();
  if ((opens === '' || opens === hhmm(d.MondayStartTime)) && (closes === '' || closes === hhmm(d.MondayEndTime))) return null;
  for (const [name, v] of [
    ['Opens', opens],
    ['Closes', closes]
  ]) {
    if (v !== '' && !TIME.test(v)) throw new WhatIfFlagError(`${name} must be a time of day (HH:MM), got ${JSON.stringify(v)}`);
  }
  const next: Record<string, unknown> = { ...d };
  for (const day of WEEKDAYS) {
    if (opens !== '') next[`${day}StartTime`] = `${opens}:00.000Z`;
    if (closes !== '') next[`${day}EndTime`] = `${closes}:00.000Z`;
  }
  next.Name = `${String(d.Name ?? 'Business hours')} (proposed hours)`;
  const def = next as unknown as CalendarDefinition;
  return { definition: def, calendar: new BusinessCalendar(def) };
}

function formHtml(
  params: URLSearchParams,
  policies: readonly SlaPolicy[],
  definition: CalendarDefinition | undefined,
  period: string
): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const d = (definition ?? {}) as unknown as Record<string, unknown>;
  const policyFields = policies
    .map((p) => {
      const t = params.get(`target.${p.developerName}`) ?? String(p.targetMinutes);
      const w = params.get(`warn.${p.developerName}`) ?? (p.warningPercent === null ? '' : String(p.warningPercent));
      // each field's name says its policy (the legend's words, for screen readers only), not only its group's
      const legend = attr(`${p.clock} (${p.developerName})`);
      return `<fieldset><legend>${legend}</legend>
<label><span class="assistive">${legend}: </span>Target (business minutes)<input type="number" min="1" step="1" name="target.${attr(p.developerName)}" value="${attr(t)}" required></label>
<label><span class="assistive">${legend}: </span>Warning at (% of target)<input type="number" min="0" max="100" step="any" name="warn.${attr(p.developerName)}" value="${attr(w)}"></label>
</fieldset>`;
    })
    .join('\n');
  const hours = definition
    ? `<fieldset><legend>${attr(`Business hours, Monday to Friday (${String(d.Name ?? '')}, ${String(d.TimeZoneSidKey ?? '')})`)}</legend>
<label>Opens<span class="assistive"> (Monday to Friday)</span><input type="time" name="opens" value="${attr(params.get('opens') ?? hhmm(d.MondayStartTime))}"></label>
<label>Closes<span class="assistive"> (Monday to Friday)</span><input type="time" name="closes" value="${attr(params.get('closes') ?? hhmm(d.MondayEndTime))}"></label>
</fieldset>`
    : '';
  return `<form class="whatif" method="get" action="/whatif" aria-describedby="whatif-form-help">
<p id="whatif-form-help" class="note">Change a target, a warning percentage or the hours and press Replay: the org’s leads and opportunities are replayed under the proposal, beside the current policies. Nothing is saved.</p>
${policyFields}
${hours}
<fieldset><legend>Period</legend><label>Clock runs started in<input type="text" name="period" size="24" value="${attr(period)}" list="whatif-periods" aria-describedby="whatif-period-help"></label>
<datalist id="whatif-periods"><option value="this-quarter"><option value="last-quarter"><option value="this-month"><option value="last-month"></datalist>
<span id="whatif-period-help" class="note">this-quarter, last-quarter, this-month, last-month or YYYY-MM-DD..YYYY-MM-DD</span></fieldset>
<button type="submit">Replay</button>
</form>`;
}
