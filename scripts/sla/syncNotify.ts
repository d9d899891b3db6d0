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
 * and the escalation Task of a breach stays as the durable record. Cost follows change: nothing is read or sent
 * when no timer crossed (a quiet sync stays at three calls); otherwise one query for the notification type's Id
 * and one action request per ACTION_INPUTS_PER_REQUEST alerts.
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
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html), so alerts
 * are the one part of a run whose calls follow their number: one request per 200, sent after each batch of writes
 * (a Bulk-sized batch: 100,000 records) right after the statuses they announce are saved.
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

/** Collects the crossings of a sync and sends their alerts after each batch of writes. */
export class Notifier {
  private pending: TimerCrossing[] = [];
  private typeId: string | null | undefined;
  /** action requests sent and alerts they carried */
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

  /** Sends the alerts of the crossings collected since the last call (a dry run counts them). */
  async send(): Promise<void> {
    const crossings = this.pending;
    this.pending = [];
    if (crossings.length === 0) return;
    const s = this.summary.notifications;
    const alerts = await this.alerts(crossings);
    if (this.opts.dryRun) {
      s.sent += alerts.length;
      return;
    }
    const typeId = await this.notificationTypeId();
    if (!typeId) {
      s.failed += alerts.length;
      warnOnce(
        this.summary,
        `${NOTIFICATION_TYPE}: no such custom notification type in the org (deploy the package): SLA alerts were not sent; the escalation tasks were`
      );
      return;
    }
    for (let i = 0; i < alerts.length; i += ACTION_INPUTS_PER_REQUEST) {
      const chunk = alerts.slice(i, i + ACTION_INPUTS_PER_REQUEST);
      const inputs = chunk.map((a) => ({
        customNotifTypeId: typeId,
        recipientIds: [a.recipientId],
        title: a.title,
        body: a.body,
        targetId: a.crossing.record.id
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
        if (r?.isSuccess) s.sent++;
        else {
          s.failed++;
          const e = r?.errors?.[0];
          warnOnce(
            this.summary,
            `SLA alert for ${a.crossing.timer.key} not sent: ${e ? `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}` : 'no result'}`
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
