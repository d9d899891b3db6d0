import { ApiError, methodNotAllowed, notFound } from '../errors';
import { normalizeId } from '../ids';
import { notificationType, storeNotifications } from '../notifications';
import type { NewNotification } from '../notifications';
import type { ApiRequest, Route } from './route';
import type { OrgContext } from '../context';
import { notImplemented } from './unsupported';
import { ownValue } from '../ownValue';

/**
 * `/actions`: invocable actions (Actions Developer Guide, "Invoking Actions":
 * https://developer.salesforce.com/docs/platform/api-action/guide/actions-intro-invoking.html). The local org
 * has one, the standard `customNotificationAction` ("Custom Notification Actions":
 * https://developer.salesforce.com/docs/platform/api-action/guide/actions-obj-custom-notification.html):
 *
 *   POST /services/data/vXX.X/actions/standard/customNotificationAction
 *   { "inputs": [ { "customNotifTypeId": "0ML…", "recipientIds": ["005…"], "title": "…", "body": "…", "targetId": "00Q…" } ] }
 *
 * answered, as every action is, with one result per input, in order:
 *   [ { "actionName": "customNotificationAction", "errors": null, "isSuccess": true,
 *       "outputValues": { "SuccessMessage": "Your custom notification is processed successfully." } } ]
 * An input that fails gets `isSuccess: false` and `errors: [{statusCode, message, fields}]`; the others are
 * still sent (each input is its own invocation), and the answer is then 400 with the same array. Sending over
 * REST needs the "Send Custom Notifications" user permission (same page). Recipients here are users (an
 * inactive user is skipped, as the page says); groups, queues and account or opportunity teams are not
 * implemented and are refused with a clear message.
 */

const ACTION = 'customNotificationAction';

/**
 * Inputs a request may carry. The Actions guide names no per-request cap for this action; 200 inputs a
 * request is what the sync sends at most (the size of an sObject Collections request), and the local org
 * refuses more with the message a real org gives for an over-long list, so no request can queue unbounded work.
 */
export const MAX_ACTION_INPUTS = 200;
/** Recipients of one input (bounded locally; a real org fans a group out to its members). */
export const MAX_RECIPIENTS = 500;
/**
 * Title and body lengths: the Connect REST API returns a notification's title up to 250 characters and its body
 * up to 750 when it does not trim them (Connect REST API, "Notifications", `trimMessages`), the most a
 * notification holds.
 */
export const MAX_TITLE = 250;
export const MAX_BODY = 750;

/** Most bytes a request to `/actions` reads: 200 inputs of 500 recipients and the longest texts fit. */
const MAX_ACTIONS_BODY_BYTES = 4 * 1024 * 1024;

interface ActionError {
  statusCode: string;
  message: string;
  fields: string[];
}

interface ActionResult {
  actionName: string;
  errors: ActionError[] | null;
  isSuccess: boolean;
  outputValues: Record<string, unknown> | null;
}

export const actionsRoute: Route = {
  transaction: true,
  maxBodyBytes: MAX_ACTIONS_BODY_BYTES,
  handle(org, req) {
    const { method, seg, version } = req;
    const base = `/services/data/v${version}/actions`;
    if (seg.length === 0) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: { standard: `${base}/standard`, custom: `${base}/custom` } };
    }
    if (seg[0] === 'custom') {
      if (seg.length === 1 && method === 'GET') return { status: 200, body: {} };
      throw notImplemented('custom invocable actions (flows, Apex, quick actions, email alerts)');
    }
    if (seg[0] !== 'standard' || seg.length > 2) throw notFound();
    if (seg.length === 1) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return {
        status: 200,
        body: {
          actions: [
            { label: 'Send Custom Notification', name: ACTION, type: 'CUSTOM_NOTIFICATION_ACTION', url: `${base}/standard/${ACTION}` }
          ]
        }
      };
    }
    if (seg[1] !== ACTION) throw notImplemented(`the standard action ${seg[1]}`);
    if (method === 'GET') return { status: 200, body: describe() };
    if (method !== 'POST') throw methodNotAllowed(method);
    return invoke(org, req);
  }
};

function describe(): Record<string, unknown> {
  const input = (name: string, type: string, required: boolean, description: string) => ({
    name,
    label: name,
    type,
    required,
    description
  });
  return {
    name: ACTION,
    label: 'Send Custom Notification',
    type: 'CUSTOM_NOTIFICATION_ACTION',
    inputs: [
      input('customNotifTypeId', 'REFERENCE', true, 'The ID of the Custom Notification Type being used for the notification.'),
      input('recipientIds', 'REFERENCE', true, 'The IDs of the recipients (users) of the notification.'),
      input('senderId', 'REFERENCE', false, 'The user the notification is from (default: the running user).'),
      input('title', 'STRING', true, `The title of the notification (up to ${MAX_TITLE} characters).`),
      input('body', 'TEXTAREA', true, `The body of the notification (up to ${MAX_BODY} characters).`),
      input('targetId', 'REFERENCE', false, 'The record the notification opens (required unless targetPageRef is given).'),
      input('targetPageRef', 'STRING', false, 'The page reference the notification opens.')
    ],
    outputs: [{ name: 'SuccessMessage', label: 'SuccessMessage', type: 'STRING' }]
  };
}

function invoke(org: OrgContext, req: ApiRequest) {
  const body = req.json();
  const inputs = body && typeof body === 'object' && !Array.isArray(body) ? (body as { inputs?: unknown }).inputs : undefined;
  if (!Array.isArray(inputs)) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object with an \'inputs\' array: { "inputs": [ { … } ] }'
    );
  }
  if (inputs.length === 0) throw new ApiError(400, 'INVALID_INPUT', "The 'inputs' array is empty: nothing to invoke");
  if (inputs.length > MAX_ACTION_INPUTS) {
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      `Too many inputs: ${inputs.length}. An action request takes at most ${MAX_ACTION_INPUTS} inputs.`
    );
  }
  const { ctx } = req;
  const mayNotify = ctx.access.hasUserPermission('SendCustomNotifications');
  const results: ActionResult[] = [];
  const toStore: NewNotification[] = [];
  for (const raw of inputs) {
    const errors: ActionError[] = [];
    const fail = (statusCode: string, message: string, field?: string) =>
      errors.push({ statusCode, message, fields: field ? [field] : [] });
    if (!mayNotify) {
      fail(
        'INSUFFICIENT_ACCESS',
        'You do not have permission to send custom notifications (the "Send Custom Notifications" user permission).'
      );
      results.push(result(errors));
      continue;
    }
    const input = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const str = (name: string, max: number, required: boolean): string | null => {
      const v = ownValue(input, name);
      if (v === undefined || v === null || v === '') {
        if (required) fail('REQUIRED_FIELD_MISSING', `Missing required input parameter: ${name}`, name);
        return null;
      }
      if (typeof v !== 'string') {
        fail('INVALID_TYPE', `Input parameter ${name} must be a string`, name);
        return null;
      }
      if (v.length > max) {
        fail('STRING_TOO_LONG', `${name}: data value too large: ${v.length} characters (max length=${max})`, name);
        return null;
      }
      return v;
    };
    const typeIdRaw = str('customNotifTypeId', 18, true);
    const title = str('title', MAX_TITLE, true);
    const text = str('body', MAX_BODY, true);
    const targetIdRaw = str('targetId', 18, false);
    const targetPageRef = str('targetPageRef', 2000, false);
    const senderRaw = str('senderId', 18, false);

    const type = typeIdRaw ? notificationType(org.store, normalizeId(typeIdRaw) ?? '') : undefined;
    if (typeIdRaw && !type) fail('INVALID_ID_FIELD', `Invalid custom notification type ID: ${typeIdRaw}`, 'customNotifTypeId');
    const targetId = targetIdRaw ? normalizeId(targetIdRaw) : undefined;
    if (targetIdRaw && !targetId) fail('INVALID_ID_FIELD', `Invalid ID for targetId: ${targetIdRaw}`, 'targetId');
    if (!targetIdRaw && !targetPageRef && !errors.some((e) => e.fields.includes('targetId'))) {
      fail('REQUIRED_FIELD_MISSING', 'Missing required input parameter: targetId (or targetPageRef)', 'targetId');
    }

    const recipients = recipientList(input.recipientIds, fail);
    const users = recipients.length > 0 ? activeUsers(org, recipients, fail) : [];
    const senderId = senderRaw ? normalizeId(senderRaw) : ctx.userId;
    if (senderRaw && !senderId) fail('INVALID_ID_FIELD', `Invalid ID for senderId: ${senderRaw}`, 'senderId');

    if (errors.length === 0 && type && title && text) {
      for (const userId of users) {
        toStore.push({
          recipientId: userId,
          typeId: type.id,
          typeName: type.developerName,
          title,
          body: text,
          targetId: targetId ?? null,
          targetPageRef,
          senderId: senderId ?? ctx.userId,
          createdDate: ctx.now.toISOString()
        });
      }
    }
    results.push(result(errors));
  }
  storeNotifications(org.store, toStore);
  return { status: results.every((r) => r.isSuccess) ? 200 : 400, body: results };
}

function result(errors: ActionError[]): ActionResult {
  return errors.length === 0
    ? {
        actionName: ACTION,
        errors: null,
        isSuccess: true,
        outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' }
      }
    : { actionName: ACTION, errors, isSuccess: false, outputValues: null };
}

/** recipientIds: an array of ids (or one id, as a flow passes a single value), at most MAX_RECIPIENTS. */
function recipientList(value: unknown, fail: (code: string, message: string, field?: string) => void): string[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '') {
    fail('REQUIRED_FIELD_MISSING', 'Missing required input parameter: recipientIds', 'recipientIds');
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_RECIPIENTS) {
    fail('LIMIT_EXCEEDED', `Too many recipients: ${list.length} (at most ${MAX_RECIPIENTS} a notification)`, 'recipientIds');
    return [];
  }
  const ids: string[] = [];
  for (const v of list) {
    const id = typeof v === 'string' ? normalizeId(v) : undefined;
    if (!id) {
      fail('INVALID_ID_FIELD', `Invalid ID in recipientIds: ${JSON.stringify(v)}`, 'recipientIds');
      return [];
    }
    ids.push(id);
  }
  return [...new Set(ids)];
}

/** The active users among the recipients (an inactive one is skipped); a recipient that is not a user is an error. */
function activeUsers(org: OrgContext, ids: readonly string[], fail: (code: string, message: string, field?: string) => void): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (!id.startsWith('005')) {
      fail(
        'INVALID_ID_FIELD',
        `Recipient ${id} is not a user: the local org sends custom notifications to users only (groups, queues and account or opportunity teams are not implemented)`,
        'recipientIds'
      );
      continue;
    }
    const row = org.store.get('SELECT "Id", "IsActive" FROM "User" WHERE substr("Id", 1, 15) = ?', [id.slice(0, 15)]);
    if (!row) fail('INVALID_ID_FIELD', `No user with the ID ${id} in recipientIds`, 'recipientIds');
    else if (Number(row.IsActive) === 1) out.push(String(row.Id));
  }
  return out;
}
