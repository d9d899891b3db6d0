/**
 * The page's settings, written by the preview server into `<script type="application/json"
 * id="closed-loop-preview-config">`: who the running user is (for `@salesforce/user/Id` and the
 * `@salesforce/i18n` locale and time zone, as Lightning Experience takes them from the user record)
 * and which page, record and components to render. Never the org's access token: the page reaches
 * the org only through the preview server's `/ui-api` proxy.
 */
export interface PreviewComponent {
  tag: string;
  specifier: string;
  properties: Record<string, string | number | boolean>;
  /** Form factors its visibility rule shows it on (Small = phone, Medium = tablet, Large = desktop); absent = all. */
  formFactors?: string[];
}

export interface PreviewRegion {
  name: string;
  components: PreviewComponent[];
  standard: string[];
  standardProperties?: Record<string, Record<string, string | string[]>>;
  /** Items in page order: `c<i>` = components[i], `s<name>` = a standard component. */
  order?: string[];
}

export interface PreviewConfig {
  userId: string;
  userName: string;
  timeZone: string;
  locale: string;
  orgLabel: string;
  page?: { name: string; label: string; type: string; sobjectType?: string; regions: PreviewRegion[] };
  recordId?: string;
  objectApiName?: string;
  /** Fields the page header and Details tab show (qualified names), per object. */
  highlightFields?: string[];
  detailFields?: string[];
  /** Record page URL per object, e.g. { Lead: '/lead/' }. */
  recordRoutes: Record<string, string>;
  /** Every object's record page, so the page can open another record without a page load. */
  recordPages?: Record<string, RecordPageConfig>;
}

/** What the page needs to show a record page of an object. */
export interface RecordPageConfig {
  page: NonNullable<PreviewConfig['page']>;
  highlightFields: string[];
  detailFields: string[];
}

export const CONFIG_ELEMENT_ID = 'closed-loop-preview-config';

let cached: PreviewConfig | undefined;

export function previewConfig(): PreviewConfig {
  if (!cached) {
    const el = typeof document === 'undefined' ? null : document.getElementById(CONFIG_ELEMENT_ID);
    const parsed = el?.textContent ? (JSON.parse(el.textContent) as Partial<PreviewConfig>) : {};
    cached = {
      userId: '',
      userName: '',
      timeZone: 'America/Los_Angeles',
      locale: 'en-US',
      orgLabel: '',
      recordRoutes: {},
      ...parsed
    };
  }
  return cached;
}

/** The page now shows another record (client-side navigation): what `previewConfig()` says from now on. */
export function setPreviewRecord(objectApiName: string | undefined, recordId: string | undefined): void {
  const config = previewConfig();
  const recordPage = objectApiName ? config.recordPages?.[objectApiName] : undefined;
  cached = {
    ...config,
    objectApiName,
    recordId,
    page: recordPage?.page,
    highlightFields: recordPage?.highlightFields,
    detailFields: recordPage?.detailFields
  };
}
