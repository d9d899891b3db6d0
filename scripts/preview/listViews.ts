import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, readXml, rootOf, text, type XmlNode } from '../metadata/xml';
import { soql, soqlFields, soqlJoin, soqlName } from '../org/data';
import type { Soql } from '../org/data';
import { PACKAGE_DIR } from '../project';
import type { ResolvedColumn } from '../reports/columns';
import { ReportMetadataError } from '../reports/errors';
import { ReportSchema, type SchemaField } from '../reports/schema';
import { combineFilters, filterCondition } from '../reports/soql';
import { valueAt } from './cells';
import type { OrgClient } from './orgClient';

/**
 * The package's list views in the preview, at `/o/<Object>/list?filterName=<Name>` as Lightning Experience opens them
 * (`/lightning/o/<Object>/list?filterName=<Name>`): what an SLA digest in the bell opens (its `targetPageRef`, a
 * `standard__objectPage` list). A view shows its columns, filters (with the report filters' rules:
 * scripts/reports/soql.ts) and scope (`Mine`: the running user's records), read from force-app.
 */

export interface ListViewDef {
  object: string;
  name: string;
  label: string;
  columns: string[];
  /**
   * `Mine`: records the running user owns; `Everything` (and the scopes the preview does not model: Queue, Team…):
   * every record the user may read (ListView `filterScope`, Metadata API Developer Guide:
   * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_listview.htm)
   */
  filterScope: string;
  filters: Array<{ field: string; operation: string; value: string }>;
  booleanFilter?: string;
}

/** Rows a list view page shows (newest change first), as the record list. */
const LIST_VIEW_ROWS = 50;

const LIST_PATH = /^\/o\/([A-Za-z][A-Za-z0-9_]{0,79})\/list$/;

/** The package's list views by `<Object>.<Name>`. */
export function readListViews(pkgDir: string = PACKAGE_DIR): Map<string, ListViewDef> {
  const out = new Map<string, ListViewDef>();
  const objectsDir = path.join(pkgDir, 'main', 'default', 'objects');
  if (!fs.existsSync(objectsDir)) return out;
  for (const object of fs.readdirSync(objectsDir)) {
    const dir = path.join(objectsDir, object, 'listViews');
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.listView-meta.xml'))) {
      const { node } = rootOf(readXml(path.join(dir, file)));
      const name = text(node.fullName) ?? file.replace(/\.listView-meta\.xml$/, '');
      out.set(`${object}.${name}`, {
        object,
        name,
        label: text(node.label) ?? name,
        columns: asArray(node.columns).map((c) => text(c) ?? ''),
        filterScope: text(node.filterScope) ?? 'Everything',
        filters: asArray<XmlNode>(node.filters).map((f) => ({
          field: text(f.field) ?? '',
          operation: text(f.operation) ?? 'equals',
          value: text(f.value) ?? ''
        })),
        booleanFilter: text(node.booleanFilter)
      });
    }
  }
  return out;
}

/** A list view's page ref (`standard__objectPage`, action `list`) as the preview's path; undefined for any other. */
export function listViewPath(pageRef: string | null): string | undefined {
  if (!pageRef) return undefined;
  let ref: { type?: unknown; attributes?: { objectApiName?: unknown; actionName?: unknown }; state?: { filterName?: unknown } };
  try {
    ref = JSON.parse(pageRef) as typeof ref;
  } catch {
    return undefined;
  }
  const object = ref?.attributes?.objectApiName;
  if (ref?.type !== 'standard__objectPage' || ref.attributes?.actionName !== 'list' || typeof object !== 'string') return undefined;
  if (!LIST_PATH.test(`/o/${object}/list`)) return undefined;
  const filterName = ref.state?.filterName;
  return `/o/${object}/list${typeof filterName === 'string' ? `?filterName=${encodeURIComponent(filterName)}` : ''}`;
}

/** A list view's columns: a field by API name (`NAME` is the record's name); a lookup shows its record's name. */
function columnsOf(view: ListViewDef, schema: ReportSchema): SchemaField[] {
  return view.columns.map((c) => schema.field(view.object, c === 'NAME' ? 'Name' : c)).filter((f): f is SchemaField => f !== undefined);
}

/** A field as a filter column (the report filters' rules apply to it). */
function filterColumn(schema: ReportSchema, object: string, name: string, where: string): ResolvedColumn {
  const field = schema.field(object, name);
  if (!field) throw new ReportMetadataError(`${where}: ${object} has no field ${name}`);
  return { name, label: field.label, type: field.type, valuePath: field.name, picklistValues: field.picklistValues, field };
}

/** The SOQL of a list view's page for a user: its columns, filters and scope, the last changed records first. */
export function listViewSoql(view: ListViewDef, schema: ReportSchema, userId: string): Soql {
  const where = `list view ${view.object}.${view.name}`;
  const conditions = view.filters.map((f) =>
    filterCondition({ column: f.field, operator: f.operation, value: f.value }, filterColumn(schema, view.object, f.field, where), where)
  );
  const filters = combineFilters(conditions, view.booleanFilter, where);
  const all = [...(view.filterScope === 'Mine' ? [soql`OwnerId = ${userId}`] : []), ...(filters ? [filters] : [])];
  const whereClause =
    all.length > 0
      ? soql` WHERE ${soqlJoin(
          all.map((c) => soql`(${c})`),
          ' AND '
        )}`
      : soql``;
  const fields = columnsOf(view, schema).flatMap((f) =>
    f.type === 'reference' && f.relationshipName ? [f.name, `${f.relationshipName}.Name`] : [f.name]
  );
  return soql`SELECT ${soqlFields(['Id', ...new Set(fields)])} FROM ${soqlName(view.object)}${whereClause} ORDER BY LastModifiedDate DESC LIMIT ${LIST_VIEW_ROWS}`;
}

type Row = Record<string, unknown>;

/** The package's list views and its objects' fields, read once. */
let pkg: { views: Map<string, ListViewDef>; schema: ReportSchema } | undefined;

/**
 * `/o/<Object>/list?filterName=<Name>`: the list view's page for the running user (a lookup's record name links to
 * its record), or a 404 page for a view the package does not have; undefined for any other path.
 */
export async function listViewRoute(
  org: OrgClient,
  url: URL,
  userId: string,
  format: { escape: (s: unknown) => string; cell: (value: unknown, type: string) => string }
): Promise<{ status: number; title: string; body: string } | undefined> {
  const object = LIST_PATH.exec(url.pathname)?.[1];
  if (!object) return undefined;
  const { escape, cell } = format;
  const { views, schema } = (pkg ??= { views: readListViews(), schema: new ReportSchema() });
  const view = views.get(`${object}.${url.searchParams.get('filterName') ?? ''}`);
  if (!view) {
    return {
      status: 404,
      title: 'No such list view',
      body: `<main class="slds-var-p-around_medium"><p role="alert">The package has no such list view of ${escape(object)}.</p></main>`
    };
  }
  const columns = columnsOf(view, schema);
  let rows: Row[] = [];
  let error = '';
  try {
    rows = await org.query<Row>(listViewSoql(view, schema, userId));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const head = columns.map((c) => `<th scope="col"><div class="slds-truncate">${escape(c.label.replace(/ ID$/, ''))}</div></th>`).join('');
  const body = rows
    .map((r) => {
      const cells = columns.map((c, i) => {
        const [open, close] = i === 0 ? ['<th scope="row">', '</th>'] : ['<td>', '</td>'];
        if (c.type === 'reference' && c.relationshipName) {
          const id = valueAt(r, c.name);
          const name = escape(cell(valueAt(r, `${c.relationshipName}.Name`), 'text'));
          return `${open}${typeof id === 'string' && id ? `<a href="${escape(`/record/${id}`)}">${name || escape(id)}</a>` : ''}${close}`;
        }
        return `${open}${escape(cell(valueAt(r, c.name), c.type))}${close}`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const headingId = `list-view-${view.name}`;
  return {
    status: 200,
    title: view.label,
    body: `<main class="slds-var-p-around_medium"><article class="slds-card" aria-labelledby="${headingId}">
<div class="slds-card__header"><h1 class="slds-card__header-title slds-text-heading_medium" id="${headingId}">${escape(view.label)} (${rows.length}${rows.length === LIST_VIEW_ROWS ? '+' : ''})</h1></div>
<div class="slds-card__body">
${error ? `<p class="slds-text-color_error slds-var-p-horizontal_medium" role="alert">${escape(error)}</p>` : ''}
${rows.length ? `<table class="slds-table slds-table_bordered slds-table_cell-buffer" aria-labelledby="${headingId}"><thead><tr class="slds-line-height_reset">${head}</tr></thead><tbody>${body}</tbody></table>` : error ? '' : '<p class="slds-var-p-horizontal_medium">No records to show.</p>'}
</div></article></main>`
  };
}
