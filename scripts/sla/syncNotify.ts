/**
 * SLA alerts where reps look: for each timer that crossed its warning time (Running → At Risk) or its due time
 * (→ Breached) since the last evaluation — the crossings the sync plans (syncPlan.ts) and reports once their
 * new status is saved — a Salesforce custom notification (bell and mobile push) for the accountable user, and on
 * a breach for their manager too when the policy has Notify_Manager__c. Sent through the standard invocable
 * action `customNotificationAction` over REST (no Apex), with the package's CustomNotificationType
 * Closed_Loop_SLA_Alert:
 *
 *   POST /services/data/vXX.X/actions/standard/customNotificationAction
 *   { "inputs": [ { "customNotifTypeId", "recipientIds": [userId], "title", "body", "targetId": recordId }, … ] }
 *
 * (Actions Developer Guide, "Custom Notification Actions":
 * https://developer.salesforce.com/docs/platform/api-action/guide/actions-obj-custom-notification.html, and
 * "Invoking Actions" for the request and per-input response shape:
 * https://developer.salesforce.com/docs/platform/api-action/guide/actions-intro-invoking.html).
 *
 * Once per timer and transition: a crossing is the move of the status saved on SLA_Timer__c, and it is
 * notified right after that status is saved, so the next sync, which reads the new status, finds no crossing
 * and sends nothing. A crossing is notified at most once: if the action call fails, the sync reports it
 * (a warning and `notifications.failed`) and does not resend — a duplicate alert is worse than a missing one,
 * and the escalation Task of a breach stays as the durable record.
 *
 * Alerts follow recipients, not timers: a run sends each recipient their first ALERTS_PER_RECIPIENT alerts one by
 * one (breaches first) and counts the rest of their crossings for one digest notification at the end of the run —
 * how many breached and went at risk, by clock (a manager's also by accountable rep) — that opens the SLA timer
 * list view to work them from. A crossing counted in a digest is notified by it, so once too. Cost follows change:
 * nothing is read or sent when no timer crossed (a quiet sync stays at three calls); otherwise one query for the
 * notification type's Id and one action request per ACTION_INPUTS_PER_REQUEST notifications, whose number is
 * bounded by the recipients (ALERTS_PER_RECIPIENT + 1 each) however many timers crossed.
 */
import { soql } from '../org/data';
import type { OrgData } from '../org/data';
import { clockDuty, truncate, wallClockText } from './syncEscalation';
import type { UserCache } from './syncEscalation';
import type { TimerCrossing } from './syncPlan';
import type { SyncSummary } from './syncSummary';

/** The package's CustomNotificationType (force-app/main/default/notificationtypes). */
export const NOTIFICATION_TYPE = 'Closed_Loop_SLA_Alert';

/**
 * Alerts sent in one action request. Actions take several inputs a request ("You can batch actions to improve
 * performance in API version 35.0 and later", https://developer.salesforce.com/docs/atlas.en-us.api_action.meta/api_action/;
 * the request and per-input response shape: "Invoking Actions", cited above), but neither that guide nor the
 * action's page names how many; 200 is the size of the other write requests the sync makes (sObject Collections)
 * and what the local org accepts, so an org is never sent more than it is known to take. There is no Bulk form of
 * an action, and `/composite` does not carry actions (its subrequests are sObject, query and collection resources:
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html): one
 * request per 200 notifications, sent after each batch of writes (a Bulk-sized batch: 100,000 records) right after
 * the statuses they announce are saved, the digests at the end of the run.
 */
export const ACTION_INPUTS_PER_REQUEST = 200;

/** customNotificationAction's title and body limits (the longest a notification keeps: 250 and 750 characters). */
const MAX_TITLE = 250;
const MAX_BODY = 750;

export interface ActionResult {
  actionName?: string;
  isSuccess: boolean;
  errors: Array<{ statusCode?: string; message?: string }> | null;
  outputValues?: Record<string, unknown> | null;
}

/** One alert: a crossing, for one recipient. */
export interface SlaAlert {
  crossing: TimerCrossing;
  audience: 'user' | 'manager';
  recipientId: string;
  title: string;
  body: string;
}

/** The text of an alert for the accountable user or their manager. */
export function alertText(
  c: TimerCrossing,
  audience: 'user' | 'manager',
  opts: { accountableName: string; timeZone: string }
): { title: string; body: string } {
  const t = c.timer;
  const kind = c.record.object === 'Lead' ? 'lead' : 'opportunity';
  const what = `${t.clock} on ${c.record.label}`;
  const head = c.crossed === 'warn' ? 'SLA at risk' : 'SLA breached';
  const title = audience === 'user' ? `${head}: ${what}` : `${head} (${opts.accountableName}): ${what}`;
  const due = wallClockText(t.dueAt, opts.timeZone);
  const lines =
    c.crossed === 'warn'
      ? [`The ${t.clock} SLA on ${kind} ${c.record.label} is due ${due}.`]
      : [`The ${t.clock} SLA on ${kind} ${c.record.label} was due ${due} and is breached.`];
  lines.push(
    audience === 'user'
      ? `Please ${clockDuty(t)}${c.crossed === 'warn' ? ' before then' : ' now'}.`
      : `Accountable: ${opts.accountableName}. They need to ${clockDuty(t)}.`
  );
  return { title: truncate(title, MAX_TITLE), body: truncate(lines.join(' '), MAX_BODY) };
}

/**
 * Alerts one recipient gets one by one in a run; their further crossings of that run come in one digest
 * (digestText). Nobody reads hundreds of bell alerts, and an org executes at most
 * 10,000 notification actions an hour, after which the rest of that hour's notifications are lost ("An org can
 * execute up to 10,000 notification actions per hour. When you exceed this limit, no more notifications are sent
 * in that hour, and all unsent notifications are lost":
 * https://help.salesforce.com/s/articleView?id=platform.notif_builder_considerations.htm&language=en_US&type=5).
 * So a run sends each recipient at most this many alerts and one digest: its action requests follow its recipients,
 * not its crossings (a first sync of a large org crosses tens of thousands of timers).
 */
export const ALERTS_PER_RECIPIENT = 5;

/**
 * Where a digest opens: the package's SLA_Timer__c list views, as a PageReference (`standard__objectPage`, action
 * `list`, `state.filterName`: https://developer.salesforce.com/docs/platform/lwc/guide/reference-page-reference-type.html).
 * customNotificationAction takes `targetPageRef` instead of `targetId` ("You must specify either a targetID or a
 * targetPageRef": https://developer.salesforce.com/docs/atlas.en-us.api_action.meta/api_action/actions_obj_custom_notification.htm).
 * A rep's timers are theirs (OwnerId is the accountable user): "My open SLA timers"; a manager's digest is of
 * breaches: "Breached this week".
 */
export const DIGEST_LIST_VIEW = { user: 'My_Open_SLA_Timers', manager: 'Breached_This_Week' } as const;
const DIGEST_LIST_LABEL = { user: 'My open SLA timers', manager: 'Breached this week' } as const;

export function listViewPageRef(filterName: string): string {
  return JSON.stringify({
    type: 'standard__objectPage',
    attributes: { objectApiName: 'SLA_Timer__c', actionName: 'list' },
    state: { filterName }
  });
}

/** The crossings of one recipient's run beyond their ALERTS_PER_RECIPIENT alerts, counted for their digest. */
export interface Digest {
  recipientId: string;
  audience: 'user' | 'manager';
  atRisk: number;
  breached: number;
  /** `clock|warn` / `clock|due` → count */
  byClock: Map<string, number>;
  /** a manager's digest: accountable user's name → breaches */
  byAccountable: Map<string, number>;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/** `4 breached, 2 at risk` (the parts that are not 0). */
const statusCounts = (breached: number, atRisk: number) =>
  [breached > 0 ? `${breached.toLocaleString('en-US')} breached` : '', atRisk > 0 ? `${atRisk.toLocaleString('en-US')} at risk` : '']
    .filter(Boolean)
    .join(', ');

/** The text of a digest: its counts by status and clock (and a manager's by accountable user), and where to work them. */
export function digestText(d: Digest): { title: string; body: string } {
  const total = d.atRisk + d.breached;
  const counts = statusCounts(d.breached, d.atRisk);
  const clocks = new Map<string, { warn: number; due: number }>();
  for (const [key, n] of d.byClock) {
    const [clock, crossed] = key.split('|');
    const c = clocks.get(clock) ?? { warn: 0, due: 0 };
    c[crossed as 'warn' | 'due'] += n;
    clocks.set(clock, c);
  }
  const perClock = [...clocks]
    .sort((a, b) => b[1].due + b[1].warn - (a[1].due + a[1].warn) || a[0].localeCompare(b[0]))
    .map(([clock, c]) => `${clock}: ${statusCounts(c.due, c.warn)}`)
    .join('; ');
  const list = `Open the list "${DIGEST_LIST_LABEL[d.audience]}" to work through them.`;
  if (d.audience === 'user') {
    return {
      title: truncate(`SLA: ${plural(total, 'more alert', 'more alerts')} (${counts})`, MAX_TITLE),
      body: truncate(
        `Besides the ${ALERTS_PER_RECIPIENT} alerts sent one by one, ${plural(total, 'more SLA', 'more SLAs')} of yours crossed in this sync: ${counts}. By clock: ${perClock}. ${list}`,
        MAX_BODY
      )
    };
  }
  const who = byCount(d.byAccountable)
    .map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`)
    .join(', ');
  return {
    title: truncate(`SLA: ${plural(total, 'more breach', 'more breaches')} on your team`, MAX_TITLE),
    body: truncate(
      `Besides the ${ALERTS_PER_RECIPIENT} alerts sent one by one, ${plural(total, 'more SLA', 'more SLAs')} of your team breached in this sync. By clock: ${perClock}. Accountable: ${who}. ${list}`,
      MAX_BODY
    )
  };
}

/** One notification to send: an alert (its record the target) or a digest (a list view the target). */
interface Outgoing {
  recipientId: string;
  title: string;
  body: string;
  targetId?: string;
  targetPageRef?: string;
  /** what a failure names */
  about: string;
  /** a digest: the crossings it sums up */
  covers?: number;
}

/**
 * Collects the crossings of a sync and sends their alerts after each batch of writes: each recipient's first
 * ALERTS_PER_RECIPIENT of the run one by one, the rest counted for one digest each, sent by `finish()`.
 */
export class Notifier {
  private pending: TimerCrossing[] = [];
  private typeId: string | null | undefined;
  /** alerts sent (or refused) this run, by recipient */
  private readonly alertsTo = new Map<string, number>();
  private readonly digests = new Map<string, Digest>();
  /** action requests sent and notifications they carried */
  requests = 0;
  inputs = 0;

  constructor(
    private readonly data: OrgData,
    private readonly summary: SyncSummary,
    private readonly opts: { dryRun: boolean; users: UserCache; timeZoneOf: (c: TimerCrossing) => string }
  ) {}

  /** A crossing whose new status is saved (a dry run: planned). */
  add(crossing: TimerCrossing): void {
    this.pending.push(crossing);
  }

  /** The alerts of the crossings collected so far: reads users (managers) only when a breach notifies one. */
  async alerts(crossings: readonly TimerCrossing[]): Promise<SlaAlert[]> {
    const { users } = this.opts;
    const accountable = crossings.map((c) => c.timer.accountableUserId);
    const withManager = crossings.filter((c) => c.crossed === 'due' && c.policy.notifyManager);
    if (withManager.length > 0) {
      await users.load(this.data, accountable);
      await users.load(
        this.data,
        withManager.map((c) => users.get(c.timer.accountableUserId)?.ManagerId).filter((id): id is string => Boolean(id))
      );
    }
    const out: SlaAlert[] = [];
    for (const c of crossings) {
      const user = users.get(c.timer.accountableUserId);
      const text = { accountableName: user?.Name ?? c.timer.accountableUserId, timeZone: this.opts.timeZoneOf(c) };
      out.push({ crossing: c, audience: 'user', recipientId: c.timer.accountableUserId, ...alertText(c, 'user', text) });
      if (c.crossed === 'due' && c.policy.notifyManager) {
        const manager = user?.ManagerId ? users.get(user.ManagerId) : undefined;
        if (manager?.IsActive) out.push({ crossing: c, audience: 'manager', recipientId: manager.Id, ...alertText(c, 'manager', text) });
      }
    }
    return out;
  }

  /**
   * Sends the alerts of the crossings collected since the last call (a dry run counts them), breaches first, each
   * recipient's up to ALERTS_PER_RECIPIENT for the run; the others are counted for the recipient's digest.
   */
  async send(): Promise<void> {
    const crossings = this.pending;
    this.pending = [];
    if (crossings.length === 0) return;
    const ordered = [...crossings].sort((a, b) => (a.crossed === b.crossed ? 0 : a.crossed === 'due' ? -1 : 1));
    const alerts = await this.alerts(ordered);
    const now: Outgoing[] = [];
    for (const a of alerts) {
      const key = a.recipientId.slice(0, 15);
      const sent = this.alertsTo.get(key) ?? 0;
      if (sent < ALERTS_PER_RECIPIENT) {
        this.alertsTo.set(key, sent + 1);
        now.push({ recipientId: a.recipientId, title: a.title, body: a.body, targetId: a.crossing.record.id, about: a.crossing.timer.key });
        continue;
      }
      this.countInDigest(key, a);
    }
    await this.post(now);
  }

  /** Sends what `send` has not yet, then each recipient's digest of the run's crossings beyond their alerts. */
  async finish(): Promise<void> {
    await this.send();
    const digests = [...this.digests.values()];
    this.digests.clear();
    await this.post(
      digests.map((d) => ({
        recipientId: d.recipientId,
        ...digestText(d),
        targetPageRef: listViewPageRef(DIGEST_LIST_VIEW[d.audience]),
        about: `the digest for ${d.recipientId}`,
        covers: d.atRisk + d.breached
      }))
    );
  }

  private countInDigest(recipient: string, a: SlaAlert): void {
    // a manager who is also accountable for timers gets a digest of each kind
    const key = `${recipient}|${a.audience}`;
    let d = this.digests.get(key);
    if (!d) {
      d = { recipientId: a.recipientId, audience: a.audience, atRisk: 0, breached: 0, byClock: new Map(), byAccountable: new Map() };
      this.digests.set(key, d);
    }
    const c = a.crossing;
    if (c.crossed === 'warn') d.atRisk++;
    else d.breached++;
    const clock = `${c.timer.clock}|${c.crossed}`;
    d.byClock.set(clock, (d.byClock.get(clock) ?? 0) + 1);
    if (a.audience === 'manager') {
      const name = this.opts.users.get(c.timer.accountableUserId)?.Name ?? c.timer.accountableUserId;
      d.byAccountable.set(name, (d.byAccountable.get(name) ?? 0) + 1);
    }
  }

  private async post(out: readonly Outgoing[]): Promise<void> {
    if (out.length === 0) return;
    const s = this.summary.notifications;
    const sent = (o: Outgoing) => {
      s.sent++;
      if (o.covers === undefined) return;
      s.digests++;
      s.digested += o.covers;
    };
    if (this.opts.dryRun) return out.forEach(sent);
    const typeId = await this.notificationTypeId();
    if (!typeId) {
      s.failed += out.length;
      warnOnce(
        this.summary,
        `${NOTIFICATION_TYPE}: no such custom notification type in the org (deploy the package): SLA alerts were not sent; the escalation tasks were`
      );
      return;
    }
    for (let i = 0; i < out.length; i += ACTION_INPUTS_PER_REQUEST) {
      const chunk = out.slice(i, i + ACTION_INPUTS_PER_REQUEST);
      const inputs = chunk.map((a) => ({
        customNotifTypeId: typeId,
        recipientIds: [a.recipientId],
        title: a.title,
        body: a.body,
        ...(a.targetId ? { targetId: a.targetId } : { targetPageRef: a.targetPageRef })
      }));
      this.requests++;
      this.inputs += inputs.length;
      let results: ActionResult[];
      try {
        results = await invokeCustomNotifications(this.data, inputs);
      } catch (err) {
        s.failed += chunk.length;
        warnOnce(this.summary, `SLA alerts were not sent: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      chunk.forEach((a, j) => {
        const r = results[j];
        if (r?.isSuccess) sent(a);
        else {
          s.failed++;
          const e = r?.errors?.[0];
          warnOnce(
            this.summary,
            `SLA alert for ${a.about} not sent: ${e ? `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}` : 'no result'}`
          );
        }
      });
    }
  }

  private async notificationTypeId(): Promise<string | null> {
    if (this.typeId !== undefined) return this.typeId;
    const rows = await this.data.all<{ Id: string }>(
      soql`SELECT Id FROM CustomNotificationType WHERE DeveloperName = ${NOTIFICATION_TYPE}`
    );
    this.typeId = rows[0]?.Id ?? null;
    return this.typeId;
  }
}

/**
 * POSTs inputs to customNotificationAction and returns one result per input. An org answers a request in
 * which some input failed with an error status and the same per-input array; jsforce turns that into an error
 * whose `data` (several results) or message (one result, as JSON text) holds the array.
 */
export async function invokeCustomNotifications(data: OrgData, inputs: ReadonlyArray<Record<string, unknown>>): Promise<ActionResult[]> {
  try {
    return await data.conn.requestPost<ActionResult[]>('/actions/standard/customNotificationAction', { inputs });
  } catch (err) {
    const results = resultsOf(err);
    if (results) return results;
    throw err;
  }
}

function resultsOf(err: unknown): ActionResult[] | null {
  const isResults = (v: unknown): v is ActionResult[] =>
    Array.isArray(v) && v.every((r) => r !== null && typeof r === 'object' && 'isSuccess' in (r as object));
  const e = err as { data?: unknown; message?: unknown };
  if (isResults(e.data)) return e.data;
  if (typeof e.message === 'string' && e.message.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(e.message);
      if (isResults(parsed)) return parsed;
    } catch {
      return null;
    }
  }
  return null;
}

function warnOnce(s: SyncSummary, warning: string): void {
  if (!s.warnings.includes(warning)) s.warnings.push(warning);
}
