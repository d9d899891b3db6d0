import { fieldList, LdsWireAdapter, query, sameId, uiApi, type RecordChange } from './lds';

/**
 * `lightning/uiRelatedListApi` in the preview: `getRelatedListRecords` from the org's UI API
 * (`/ui-api/related-list-records/{parentRecordId}/{relatedListId}`).
 */

interface RelatedListConfig {
  parentRecordId: string;
  relatedListId: string;
  fields: string[];
  optionalFields: string[];
  sortBy: string[];
  pageSize?: number;
  pageToken?: string;
  where?: string;
}

interface RelatedListRecords {
  records: Array<{ id: string }>;
  [key: string]: unknown;
}

class GetRelatedListRecordsAdapter extends LdsWireAdapter<RelatedListConfig, RelatedListRecords> {
  protected normalize(c: Record<string, unknown>): RelatedListConfig | undefined {
    if (typeof c.parentRecordId !== 'string' || !c.parentRecordId || typeof c.relatedListId !== 'string' || !c.relatedListId)
      return undefined;
    return {
      parentRecordId: c.parentRecordId,
      relatedListId: c.relatedListId,
      fields: fieldList(c.fields),
      optionalFields: fieldList(c.optionalFields),
      sortBy: Array.isArray(c.sortBy) ? c.sortBy.map(String) : c.sortBy ? [String(c.sortBy)] : [],
      pageSize: typeof c.pageSize === 'number' ? c.pageSize : undefined,
      pageToken: typeof c.pageToken === 'string' ? c.pageToken : undefined,
      where: typeof c.where === 'string' ? c.where : undefined
    };
  }

  protected load(c: RelatedListConfig): Promise<RelatedListRecords> {
    const q = query({
      fields: c.fields,
      optionalFields: c.optionalFields,
      sortBy: c.sortBy,
      pageSize: c.pageSize,
      pageToken: c.pageToken,
      where: c.where
    });
    return uiApi<RelatedListRecords>(
      'GET',
      `/related-list-records/${encodeURIComponent(c.parentRecordId)}/${encodeURIComponent(c.relatedListId)}${q}`
    );
  }

  /** A record added under, or moved to, this parent; or a record this list shows changed. */
  affectedBy(change: RecordChange): boolean {
    if (!this.config) return false;
    if (change.references.some((id) => sameId(id, this.config?.parentRecordId))) return true;
    return !!this.current?.data?.records.some((r) => sameId(r.id, change.id));
  }
}

/** Wire adapter: `@wire(getRelatedListRecords, { parentRecordId, relatedListId, fields, optionalFields, sortBy, pageSize })`. */
export const getRelatedListRecords = GetRelatedListRecordsAdapter;
