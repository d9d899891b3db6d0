import { LdsWireAdapter, objectName, qualifiedField, uiApiMetadata } from './lds';

/**
 * `lightning/uiObjectInfoApi` in the preview: object info and picklist values from the org's UI API
 * (`/ui-api/object-info/...`), fetched once per page (metadata does not change while it is open).
 */

class GetObjectInfoAdapter extends LdsWireAdapter<{ objectApiName: string }, unknown> {
  protected normalize(c: Record<string, unknown>) {
    const name = objectName(c.objectApiName);
    return name ? { objectApiName: name } : undefined;
  }

  protected load(c: { objectApiName: string }) {
    return uiApiMetadata<unknown>(`/object-info/${encodeURIComponent(c.objectApiName)}`);
  }

  affectedBy(): boolean {
    return false;
  }
}

/** Wire adapter: `@wire(getObjectInfo, { objectApiName })`. */
export const getObjectInfo = GetObjectInfoAdapter;

class GetObjectInfosAdapter extends LdsWireAdapter<{ objectApiNames: string[] }, unknown> {
  protected normalize(c: Record<string, unknown>) {
    const list = Array.isArray(c.objectApiNames) ? c.objectApiNames.map(objectName) : [];
    return list.length && list.every(Boolean) ? { objectApiNames: list as string[] } : undefined;
  }

  protected async load(c: { objectApiNames: string[] }) {
    const results = await Promise.all(
      c.objectApiNames.map((name) =>
        uiApiMetadata<unknown>(`/object-info/${encodeURIComponent(name)}`).then(
          (result) => ({ statusCode: 200, result }),
          (e: { status: number; body: unknown }) => ({ statusCode: e.status, result: e.body })
        )
      )
    );
    return { results };
  }

  affectedBy(): boolean {
    return false;
  }
}

/** Wire adapter: `@wire(getObjectInfos, { objectApiNames })`. */
export const getObjectInfos = GetObjectInfosAdapter;

class GetPicklistValuesAdapter extends LdsWireAdapter<{ recordTypeId: string; field: string }, unknown> {
  protected normalize(c: Record<string, unknown>) {
    const field = qualifiedField(c.fieldApiName);
    if (typeof c.recordTypeId !== 'string' || !c.recordTypeId || !field || !field.includes('.')) return undefined;
    return { recordTypeId: c.recordTypeId, field };
  }

  protected load(c: { recordTypeId: string; field: string }) {
    const [object, ...rest] = c.field.split('.');
    const path = `/object-info/${encodeURIComponent(object)}/picklist-values/${encodeURIComponent(c.recordTypeId)}`;
    return uiApiMetadata<unknown>(`${path}/${encodeURIComponent(rest.join('.'))}`);
  }

  affectedBy(): boolean {
    return false;
  }
}

/** Wire adapter: `@wire(getPicklistValues, { recordTypeId, fieldApiName })`. */
export const getPicklistValues = GetPicklistValuesAdapter;

class GetPicklistValuesByRecordTypeAdapter extends LdsWireAdapter<{ objectApiName: string; recordTypeId: string }, unknown> {
  protected normalize(c: Record<string, unknown>) {
    const name = objectName(c.objectApiName);
    if (!name || typeof c.recordTypeId !== 'string' || !c.recordTypeId) return undefined;
    return { objectApiName: name, recordTypeId: c.recordTypeId };
  }

  protected load(c: { objectApiName: string; recordTypeId: string }) {
    return uiApiMetadata<unknown>(
      `/object-info/${encodeURIComponent(c.objectApiName)}/picklist-values/${encodeURIComponent(c.recordTypeId)}`
    );
  }

  affectedBy(): boolean {
    return false;
  }
}

/** Wire adapter: `@wire(getPicklistValuesByRecordType, { objectApiName, recordTypeId })`. */
export const getPicklistValuesByRecordType = GetPicklistValuesByRecordTypeAdapter;
