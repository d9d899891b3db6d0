import { previewConfig, type PreviewConfig, type PreviewRegion } from './config';
import { graphql, gql } from './graphql';
import { getRecord, type RecordRepresentation } from './uiRecordApi';
import { getRelatedListRecords } from './uiRelatedListApi';
import { dateTime, display, el, errorText, fieldLabel, iconImage, objectInfo, wire, type ObjectInfo } from './shell';

/**
 * The preview's stand-ins for the standard components of a Lightning page: the record header (highlights
 * panel), the Details and Related tabs, and on the app home Today's Tasks, Today's Events and Recent Items —
 * drawn from the org through the same LDS adapters the components use. A standard component the preview cannot
 * draw gets a card that names it plainly (never its API name) and says it shows in Lightning Experience.
 */

export function highlights(config: PreviewConfig, container: HTMLElement): void {
  const object = config.objectApiName ?? '';
  const fields = config.highlightFields ?? [];
  const title = el('h1', { class: 'slds-page-header__title slds-truncate' }, '…');
  const objectLabel = el('p', { class: 'slds-page-header__name-meta' }, object);
  const details = el('ul', { class: 'slds-page-header__detail-row slds-wrap' });
  const error = el('p', { class: 'slds-text-color_error', role: 'alert', hidden: '' });
  const header = el(
    'div',
    { class: 'slds-page-header slds-page-header_record-home' },
    el(
      'div',
      { class: 'slds-page-header__row' },
      el(
        'div',
        { class: 'slds-page-header__col-title' },
        el(
          'div',
          { class: 'slds-media' },
          el(
            'div',
            { class: 'slds-media__figure' },
            el(
              'span',
              { class: `slds-icon_container slds-icon-standard-${object.toLowerCase()}` },
              iconImage('standard', object.toLowerCase(), 'slds-icon slds-page-header__icon')
            )
          ),
          el('div', { class: 'slds-media__body' }, objectLabel, title)
        )
      )
    ),
    el(
      'div',
      { class: 'slds-page-header__row slds-page-header__row_gutters' },
      el('div', { class: 'slds-page-header__col-details' }, details)
    ),
    error
  );
  container.append(header);
  let info: ObjectInfo | undefined;
  let record: RecordRepresentation | undefined;
  const render = () => {
    objectLabel.textContent = info?.label ?? object;
    if (!record) return;
    title.textContent = display(record, `${object}.Name`) || record.id;
    document.title = `${title.textContent} | ${info?.label ?? object} | Closed Loop preview`;
    details.replaceChildren(
      ...fields
        .filter((f) => !f.endsWith('.Name') || f.split('.').length > 2)
        .map((f) =>
          el(
            'li',
            { class: 'slds-page-header__detail-block slds-size_1-of-2 slds-medium-size_1-of-3 slds-large-size_1-of-6' },
            el('div', { class: 'slds-text-title' }, fieldLabel(info, f)),
            el('div', { class: 'preview-field-value', 'data-field': f }, display(record, f))
          )
        )
    );
  };
  objectInfo(object, (i) => {
    info = i;
    render();
  });
  wire<RecordRepresentation>(getRecord as never, { recordId: config.recordId, optionalFields: [`${object}.Name`, ...fields] }, (v) => {
    if (v.error) {
      error.hidden = false;
      error.textContent = `This record could not be loaded: ${errorText(v.error)}`;
    }
    record = v.data;
    render();
  });
}

export function recordTabs(config: PreviewConfig, container: HTMLElement, region: PreviewRegion): void {
  const tabs: Array<{ id: string; label: string; render(panel: HTMLElement): void }> = [];
  if (region.standard.includes('force:detailPanel')) tabs.push({ id: 'details', label: 'Details', render: (p) => detailPanel(config, p) });
  if (region.standard.includes('force:relatedListContainer'))
    tabs.push({ id: 'related', label: 'Related', render: (p) => relatedPanel(config, p) });
  if (!tabs.length) return;
  const nav = el('ul', { class: 'slds-tabs_default__nav', role: 'tablist' });
  const card = el(
    'article',
    { class: 'slds-card slds-var-m-bottom_small' },
    el('div', { class: 'slds-tabs_default slds-var-p-horizontal_medium' }, nav)
  );
  const body = card.firstElementChild as HTMLElement;
  const panels = tabs.map((t, i) => {
    const panel = el('div', {
      class: `slds-tabs_default__content ${i ? 'slds-hide' : 'slds-show'}`,
      role: 'tabpanel',
      id: `tab-${t.id}`,
      'aria-labelledby': `tab-${t.id}__item`
    });
    body.append(panel);
    return panel;
  });
  const rendered = new Set<number>();
  const select = (index: number) => {
    tabs.forEach((_t, i) => {
      const item = nav.children[i] as HTMLElement;
      const link = item.firstElementChild as HTMLElement;
      item.classList.toggle('slds-is-active', i === index);
      link.setAttribute('aria-selected', String(i === index));
      link.tabIndex = i === index ? 0 : -1;
      panels[i].classList.toggle('slds-show', i === index);
      panels[i].classList.toggle('slds-hide', i !== index);
    });
    if (!rendered.has(index)) {
      rendered.add(index);
      tabs[index].render(panels[index]);
    }
  };
  tabs.forEach((t, i) => {
    const link = el(
      'a',
      { class: 'slds-tabs_default__link', href: `#tab-${t.id}`, role: 'tab', id: `tab-${t.id}__item`, 'aria-controls': `tab-${t.id}` },
      t.label
    );
    link.addEventListener('click', (e) => {
      e.preventDefault();
      select(i);
    });
    nav.append(el('li', { class: 'slds-tabs_default__item', role: 'presentation' }, link));
  });
  container.append(card);
  select(0);
}

function detailPanel(config: PreviewConfig, panel: HTMLElement): void {
  const object = config.objectApiName ?? '';
  const fields = config.detailFields ?? [];
  const list = el('dl', { class: 'slds-grid slds-wrap slds-var-p-vertical_small' });
  panel.append(list);
  let info: ObjectInfo | undefined;
  let record: RecordRepresentation | undefined;
  const render = () => {
    if (!record) return;
    list.replaceChildren(
      ...fields.map((f) =>
        el(
          'div',
          {
            class:
              'slds-col slds-size_1-of-1 slds-medium-size_1-of-2 slds-form-element slds-form-element_readonly slds-var-p-horizontal_x-small'
          },
          el('dt', { class: 'slds-form-element__label' }, fieldLabel(info, f), ...readOnlyMark(info, f)),
          el('dd', { class: 'slds-form-element__control slds-form-element__static', 'data-field': f }, display(record, f) || '\u00a0')
        )
      )
    );
  };
  objectInfo(object, (i) => {
    info = i;
    render();
  });
  wire<RecordRepresentation>(getRecord as never, { recordId: config.recordId, optionalFields: fields }, (v) => {
    record = v.data;
    render();
  });
}

/**
 * A lock on a field the running user can read but not edit (the object info says `updateable: false`), as Lightning
 * Experience marks it on a record's details — for a rep, every field the SLA sync computes.
 */
function readOnlyMark(info: ObjectInfo | undefined, qualified: string): HTMLElement[] {
  const path = qualified.split('.').slice(1);
  const field = path.length === 1 ? info?.fields?.[path[0]] : undefined;
  // a compound field (a lead's Name) is edited through its parts
  if (field?.updateable !== false || field.compound) return [];
  const lock = iconImage('utility', 'lock', 'slds-icon slds-icon_xx-small slds-icon-text-light slds-m-left_xx-small');
  return [
    el(
      'span',
      { class: 'preview-readonly', title: 'Read only', 'data-readonly': path[0] },
      lock,
      el('span', { class: 'slds-assistive-text' }, 'Read only')
    )
  ];
}

function relatedPanel(config: PreviewConfig, panel: HTMLElement): void {
  objectInfo(config.objectApiName ?? '', (info) => {
    if (!info) return;
    panel.replaceChildren();
    // the package's related lists, and the record's tasks (the sync's escalation tasks among them), as Activity shows them
    const rels = info.childRelationships.filter((r) => r.childObjectApiName.endsWith('__c') || r.relationshipName === 'Tasks');
    for (const rel of rels) {
      const nameField = rel.childObjectApiName === 'Task' ? 'Subject' : 'Name';
      const list = el('ul', { class: 'slds-has-dividers_bottom-space' });
      const heading = el('h2', { class: 'slds-card__header-title' }, rel.relationshipName);
      panel.append(
        el(
          'article',
          { class: 'slds-card slds-card_boundary slds-var-m-vertical_small' },
          el('div', { class: 'slds-card__header' }, heading),
          el('div', { class: 'slds-card__body slds-card__body_inner' }, list)
        )
      );
      objectInfo(rel.childObjectApiName, (child) => {
        heading.textContent = child ? `${child.labelPlural ?? child.label}` : rel.relationshipName;
      });
      wire<{ records: RecordRepresentation[]; count: number }>(
        getRelatedListRecords as never,
        {
          parentRecordId: config.recordId,
          relatedListId: rel.relationshipName,
          fields: [`${rel.childObjectApiName}.${nameField}`],
          optionalFields: [`${rel.childObjectApiName}.CreatedDate`],
          sortBy: [`-${rel.childObjectApiName}.CreatedDate`],
          pageSize: 10
        },
        (v) => {
          const records = v.data?.records ?? [];
          heading.textContent = `${heading.textContent?.replace(/ \(\d+\)$/, '')} (${v.data?.count ?? 0})`;
          list.replaceChildren(
            ...records.map((r) =>
              el('li', { class: 'slds-item' }, `${display(r, `${r.apiName}.${nameField}`)} · ${display(r, `${r.apiName}.CreatedDate`)}`)
            )
          );
        }
      );
    }
  });
}

type StandIn = (config: PreviewConfig, container: HTMLElement, properties: Record<string, string | string[]>) => void;

/** Standard components of app and home pages the preview draws. */
export const STAND_INS: Record<string, StandIn> = {
  'runtime_sales_activities:todayTaskContainer': todayTasks,
  'home:eventContainer': todayEvents,
  'flexipage:recentItems': recentItems
};

/** What Lightning Experience calls the standard components the preview does not draw. */
const LABELS: Record<string, string> = {
  'runtime_sales_pathassistant:pathAssistant': 'Path',
  'runtime_sales_activities:activityPanel': 'Activity',
  'forceChatter:recordFeedContainer': 'Chatter',
  'force:recordDetailPanelMobile': 'Record Detail - Mobile',
  'home:assistant': 'Assistant',
  'home:topDealsContainer': 'Top Deals',
  'home:recentRecordContainer': 'Recent Records',
  'desktopDashboards:embeddedDashboard': 'Dashboard',
  'flexipage:reportChart': 'Report Chart',
  'flexipage:richText': 'Rich Text'
};

/** "runtime_sales_activities:todayTaskContainer" → "Today task container": a name a person can read. */
export function standardLabel(name: string): string {
  const known = LABELS[name];
  if (known) return known;
  const words = (name.split(':').pop() ?? name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A card for a standard component the preview does not draw. */
export function notDrawn(name: string, container: HTMLElement): void {
  container.append(
    card(
      standardLabel(name),
      'custom',
      'custom1',
      el(
        'p',
        { class: 'slds-text-body_small slds-text-color_weak' },
        'A standard Lightning component: it shows here in Lightning Experience.'
      )
    )
  );
  container.lastElementChild?.setAttribute('data-standard', name);
}

function card(title: string, iconCategory: string, iconName: string, ...body: Array<Node | string>): HTMLElement {
  return el(
    'article',
    { class: 'slds-card slds-var-m-bottom_small preview-standard' },
    el(
      'div',
      { class: 'slds-card__header slds-grid' },
      el(
        'header',
        { class: 'slds-media slds-media_center slds-has-flexi-truncate' },
        el(
          'div',
          { class: 'slds-media__figure' },
          el(
            'span',
            { class: `slds-icon_container slds-icon-${iconCategory}-${iconName}` },
            iconImage(iconCategory, iconName, 'slds-icon slds-icon_small')
          )
        ),
        el('div', { class: 'slds-media__body' }, el('h2', { class: 'slds-card__header-title' }, title))
      )
    ),
    el('div', { class: 'slds-card__body slds-card__body_inner' }, ...body)
  );
}

interface Node_ {
  Id: string;
  [field: string]: unknown;
}
type Edges = { edges: Array<{ node: Node_ }> } | undefined;
const val = (node: Node_ | undefined, field: string): string => {
  const v = (node?.[field] as { value?: unknown } | undefined)?.value;
  return v === null || v === undefined ? '' : String(v);
};

/** A link to a record's page in the preview (Lead and Opportunity have one), else its name. */
function recordLink(type: string | undefined, node: Node_ | undefined): Node | string {
  const name = val(node, 'Name');
  const route = type ? previewConfig().recordRoutes[type] : undefined;
  return route && node?.Id ? el('a', { href: `${route}${node.Id}` }, name || node.Id) : name;
}

function list(target: HTMLElement, empty: string, items: HTMLElement[]): void {
  target.replaceChildren(
    items.length ? el('ul', { class: 'slds-has-dividers_bottom-space' }, ...items) : el('p', { class: 'slds-text-color_weak' }, empty)
  );
}

const TASKS = gql`
  query todayTasks($ownerId: ID) {
    uiapi {
      query {
        Task(
          where: { and: [{ OwnerId: { eq: $ownerId } }, { IsClosed: { eq: false } }, { ActivityDate: { lte: { literal: TODAY } } }] }
          orderBy: { ActivityDate: { order: ASC } }
          first: 10
        ) {
          edges {
            node {
              Id
              Subject {
                value
              }
              ActivityDate {
                value
                displayValue
              }
              Who {
                __typename
                ... on Lead {
                  Id
                  Name {
                    value
                  }
                }
                ... on Contact {
                  Id
                  Name {
                    value
                  }
                }
              }
              What {
                __typename
                ... on Opportunity {
                  Id
                  Name {
                    value
                  }
                }
                ... on Account {
                  Id
                  Name {
                    value
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** Today's Tasks: the user's open tasks due today or earlier (SLA escalations among them), oldest first. */
function todayTasks(config: PreviewConfig, container: HTMLElement): void {
  const body = el('div', {}, el('p', { class: 'slds-text-color_weak' }, 'Loading…'));
  container.append(card("Today's Tasks", 'standard', 'task', body));
  wire<{ uiapi?: { query?: { Task?: Edges } } }>(graphql as never, { query: TASKS, variables: { ownerId: config.userId } }, (v) => {
    const result = v as unknown as { data?: { uiapi?: { query?: { Task?: Edges } } }; errors?: Array<{ message: string }> };
    if (result.errors)
      return body.replaceChildren(
        el('p', { class: 'slds-text-color_error', role: 'alert' }, result.errors.map((e) => e.message).join(' '))
      );
    const items = (result.data?.uiapi?.query?.Task?.edges ?? []).map(({ node }) => {
      const who = node.Who as ({ __typename?: string } & Node_) | undefined;
      const what = node.What as ({ __typename?: string } & Node_) | undefined;
      const about = [who?.Id ? recordLink(who.__typename, who) : '', what?.Id ? recordLink(what.__typename, what) : ''].filter(Boolean);
      return el(
        'li',
        { class: 'slds-item' },
        el('p', { class: 'slds-text-title_bold' }, val(node, 'Subject') || 'Task'),
        el(
          'p',
          { class: 'slds-text-body_small' },
          `Due ${(node.ActivityDate as { displayValue?: string })?.displayValue || val(node, 'ActivityDate')}`,
          ...about.flatMap((a) => [' · ', a])
        )
      );
    });
    list(body, 'No open tasks due today.', items);
  });
}

const EVENTS = gql`
  query todayEvents($ownerId: ID) {
    uiapi {
      query {
        Event(
          where: { and: [{ OwnerId: { eq: $ownerId } }, { StartDateTime: { eq: { literal: TODAY } } }] }
          orderBy: { StartDateTime: { order: ASC } }
          first: 10
        ) {
          edges {
            node {
              Id
              Subject {
                value
              }
              StartDateTime {
                value
              }
              EndDateTime {
                value
              }
              Who {
                __typename
                ... on Lead {
                  Id
                  Name {
                    value
                  }
                }
                ... on Contact {
                  Id
                  Name {
                    value
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** Today's Events: the user's meetings starting today, in time order. */
function todayEvents(config: PreviewConfig, container: HTMLElement): void {
  const body = el('div', {}, el('p', { class: 'slds-text-color_weak' }, 'Loading…'));
  container.append(card("Today's Events", 'standard', 'event', body));
  wire(graphql as never, { query: EVENTS, variables: { ownerId: config.userId } }, (v) => {
    const result = v as unknown as { data?: { uiapi?: { query?: { Event?: Edges } } }; errors?: Array<{ message: string }> };
    if (result.errors)
      return body.replaceChildren(
        el('p', { class: 'slds-text-color_error', role: 'alert' }, result.errors.map((e) => e.message).join(' '))
      );
    const time = { timeStyle: 'short' } as const;
    const items = (result.data?.uiapi?.query?.Event?.edges ?? []).map(({ node }) => {
      const who = node.Who as ({ __typename?: string } & Node_) | undefined;
      const when = `${dateTime(val(node, 'StartDateTime'), time)}${val(node, 'EndDateTime') ? `–${dateTime(val(node, 'EndDateTime'), time)}` : ''}`;
      return el(
        'li',
        { class: 'slds-item' },
        el('p', { class: 'slds-text-title_bold' }, val(node, 'Subject') || 'Event'),
        el('p', { class: 'slds-text-body_small' }, when, ...(who?.Id ? [' · ', recordLink(who.__typename, who)] : []))
      );
    });
    list(body, 'No events today.', items);
  });
}

/**
 * Recent Items: the newest changed records of the objects the page names (`entityNames`, `maxRecords`). Lightning
 * Experience lists what the user viewed last; the org's API does not say, so the preview lists what changed last.
 */
function recentItems(_config: PreviewConfig, container: HTMLElement, properties: Record<string, string | string[]>): void {
  const objects = (Array.isArray(properties.entityNames) ? properties.entityNames : [properties.entityNames ?? '']).filter((o) =>
    /^\w+$/.test(o)
  );
  const max = Math.min(Math.max(Number(properties.maxRecords) || 5, 1), 20);
  const label = typeof properties.label === 'string' && properties.label ? properties.label : 'Recent Items';
  const body = el('div', {}, el('p', { class: 'slds-text-color_weak' }, 'Loading…'));
  container.append(
    card(
      label,
      'standard',
      'recent',
      body,
      el('p', { class: 'slds-text-body_small slds-text-color_weak slds-var-m-top_x-small' }, 'Most recently changed first.')
    )
  );
  if (!objects.length) return list(body, 'No objects to list.', []);
  const blocks = objects
    .map(
      (o) =>
        `${o}(orderBy: { LastModifiedDate: { order: DESC } }, first: ${max}) { edges { node { Id Name { value } LastModifiedDate { value } } } }`
    )
    .join('\n');
  wire(graphql as never, { query: `query recentItems { uiapi { query { ${blocks} } } }` }, (v) => {
    const result = v as unknown as { data?: { uiapi?: { query?: Record<string, Edges> } }; errors?: Array<{ message: string }> };
    if (result.errors)
      return body.replaceChildren(
        el('p', { class: 'slds-text-color_error', role: 'alert' }, result.errors.map((e) => e.message).join(' '))
      );
    const rows = objects
      .flatMap((o) => (result.data?.uiapi?.query?.[o]?.edges ?? []).map(({ node }) => ({ o, node })))
      .sort((a, b) => val(b.node, 'LastModifiedDate').localeCompare(val(a.node, 'LastModifiedDate')))
      .slice(0, max);
    list(
      body,
      'Nothing changed yet.',
      rows.map(({ o, node }) =>
        el(
          'li',
          { class: 'slds-item' },
          recordLink(o, node),
          el('span', { class: 'slds-text-body_small slds-text-color_weak' }, ` · ${o} · ${dateTime(val(node, 'LastModifiedDate'))}`)
        )
      )
    );
  });
}
