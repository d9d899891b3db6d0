import { fieldList, LdsWireAdapter, notifyChanges, query, referencesOf, sameId, uiApi, type RecordChange } from './lds';

/**
 * `lightning/uiRecordApi` in the preview: the same exports and shapes as on the platform, backed by
 * the org's UI API (`/ui-api/records`) through the preview server.
 */

interface FieldValue {
  value: unknown;
  displayValue: string | null;
}

export interface RecordRepresentation {
  apiName: string;
  id: string;
  fields: Record<string, FieldValue>;
  [key: string]: unknown;
}

interface GetRecordConfig {
  recordId: string;
  fields: string[];
  optionalFields: string[];
  layoutTypes: string[];
  modes: string[];
}

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String));

class GetRecordAdapter extends LdsWireAdapter<GetRecordConfig, RecordRepresentation> {
  protected normalize(c: Record<string, unknown>): GetRecordConfig | undefined {
    if (typeof c.recordId !== 'string' || !c.recordId) return undefined;
    const config = {
      recordId: c.recordId,
      fields: fieldList(c.fields),
      optionalFields: fieldList(c.optionalFields),
      layoutTypes: asList(c.layoutTypes),
      modes: asList(c.modes)
    };
    if (!config.fields.length && !config.optionalFields.length && !config.layoutTypes.length) return undefined;
    return config;
  }

  protected load(c: GetRecordConfig): Promise<RecordRepresentation> {
    const q = query({ fields: c.fields, optionalFields: c.optionalFields, layoutTypes: c.layoutTypes, modes: c.modes });
    return uiApi<RecordRepresentation>('GET', `/records/${encodeURIComponent(c.recordId)}${q}`);
  }

  affectedBy(change: RecordChange): boolean {
    return sameId(this.config?.recordId, change.id);
  }
}

/** Wire adapter: `@wire(getRecord, { recordId, fields | optionalFields | layoutTypes })`. */
export const getRecord = GetRecordAdapter;

interface GetRecordsConfig {
  records: Array<{ recordIds: string[]; fields: string[]; optionalFields: string[] }>;
}

class GetRecordsAdapter extends LdsWireAdapter<GetRecordsConfig, { results: Array<{ statusCode: number; result: unknown }> }> {
  protected normalize(c: Record<string, unknown>): GetRecordsConfig | undefined {
    if (!Array.isArray(c.records)) return undefined;
    const records = (c.records as Array<Record<string, unknown>>).map((r) => ({
      recordIds: asList(r.recordIds),
      fields: fieldList(r.fields),
      optionalFields: fieldList(r.optionalFields)
    }));
    return records.every((r) => r.recordIds.length && r.recordIds.every(Boolean)) ? { records } : undefined;
  }

  protected async load(c: GetRecordsConfig) {
    const calls = c.records.flatMap((r) =>
      r.recordIds.map((id) =>
        uiApi<RecordRepresentation>(
          'GET',
          `/records/${encodeURIComponent(id)}${query({ fields: r.fields, optionalFields: r.optionalFields })}`
        ).then(
          (result) => ({ statusCode: 200, result }) as { statusCode: number; result: unknown },
          (e: { status: number; body: unknown }) => ({ statusCode: e.status, result: e.body })
        )
      )
    );
    return { results: await Promise.all(calls) };
  }

  affectedBy(change: RecordChange): boolean {
    return !!this.config?.records.some((r) => r.recordIds.some((id) => sameId(id, change.id)));
  }
}

/** Wire adapter: `@wire(getRecords, { records: [{ recordIds, fields }] })`. */
export const getRecords = GetRecordsAdapter;

function fieldPath(record: unknown, field: unknown): FieldValue | undefined {
  if (!record || typeof record !== 'object') return undefined;
  let parts: string[];
  if (typeof field === 'string') parts = field.split('.').slice(1);
  else if (field && typeof field === 'object' && typeof (field as { fieldApiName?: unknown }).fieldApiName === 'string') {
    parts = (field as { fieldApiName: string }).fieldApiName.split('.');
  } else return undefined;
  let current = record as RecordRepresentation | undefined;
  for (let i = 0; i < parts.length; i++) {
    const f: FieldValue | undefined = current?.fields?.[parts[i]];
    if (!f) return undefined;
    if (i === parts.length - 1) return f;
    current = f.value as RecordRepresentation | undefined;
  }
  return undefined;
}

/** A field's value from a record the wire returned (`Object.Field`, `Object.Lookup.Field` or a schema import). */
export function getFieldValue(record: unknown, field: unknown): unknown {
  return fieldPath(record, field)?.value;
}

export function getFieldDisplayValue(record: unknown, field: unknown): unknown {
  return fieldPath(record, field)?.displayValue;
}

export interface RecordInput {
  apiName?: string;
  fields: Record<string, unknown>;
  allowSaveOnDuplicate?: boolean;
}

/** Creates a record; the wires showing its parents' related lists fetch again. */
export async function createRecord(recordInput: RecordInput): Promise<RecordRepresentation> {
  const record = await uiApi<RecordRepresentation>('POST', '/records', {
    apiName: recordInput.apiName,
    fields: recordInput.fields,
    ...(recordInput.allowSaveOnDuplicate ? { allowSaveOnDuplicate: true } : {})
  });
  await notifyChanges([{ id: record.id, references: referencesOf(record) }]);
  return record;
}

/** Updates the record `recordInput.fields.Id`; its getRecord wires (and related lists showing it) fetch again. */
export async function updateRecord(
  recordInput: RecordInput,
  clientOptions?: { ifUnmodifiedSince?: string }
): Promise<RecordRepresentation> {
  const { Id: id, ...fields } = recordInput.fields ?? {};
  if (typeof id !== 'string' || !id) {
    throw { ok: false, status: 400, statusText: 'Bad Request', headers: {}, body: { message: 'updateRecord needs fields.Id' } };
  }
  const headers: Record<string, string> = clientOptions?.ifUnmodifiedSince
    ? { 'if-unmodified-since': clientOptions.ifUnmodifiedSince }
    : {};
  const record = await uiApi<RecordRepresentation>('PATCH', `/records/${encodeURIComponent(id)}`, { fields }, headers);
  await notifyChanges([{ id, references: referencesOf(record) }]);
  return record;
}

export async function deleteRecord(recordId: string): Promise<void> {
  await uiApi<void>('DELETE', `/records/${encodeURIComponent(recordId)}`);
  await notifyChanges([{ id: recordId, references: [] }]);
}

/** Tells LDS that records changed elsewhere (e.g. after a sync): their wires fetch again. */
export function notifyRecordUpdateAvailable(items: Array<{ recordId: string }>): Promise<void> {
  return notifyChanges((items ?? []).map((i) => ({ id: i.recordId, references: [] })));
}

/** @deprecated on the platform in favour of notifyRecordUpdateAvailable; kept for older components. */
export function getRecordNotifyChange(items: Array<{ recordId: string }>): void {
  void notifyRecordUpdateAvailable(items);
}
