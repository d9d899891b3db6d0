import type { FieldInfo } from '../model';

/**
 * A custom report type as reports see it: its tables (`Lead`, `Lead.Lead_Quality_Feedback__r`)
 * with their objects, and the columns it exposes (`Lead.Lead_Quality_Feedback__r$Rating__c`).
 */
export interface ReportTypeModel {
  name: string;
  file: string;
  baseObject: string;
  tables: Map<string, { table: string; object: string }>;
  /** By `table$field` in lower case. */
  columns: Map<string, { table: string; field: string; info?: FieldInfo }>;
}
