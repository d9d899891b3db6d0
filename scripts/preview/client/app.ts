import { previewConfig, setPreviewRecord, type PreviewComponent, type PreviewConfig, type PreviewRegion } from './config';
import { keepPersonaReturn } from './persona';
import { setRouter } from './router';
import { SHOW_TOAST_EVENT_NAME, type ToastConfig } from './platformShowToastEvent';
import { getFieldDisplayValue, getFieldValue, getRecord, type RecordRepresentation } from './uiRecordApi';
import { getObjectInfo } from './uiObjectInfoApi';
import { getRelatedListRecords } from './uiRelatedListApi';
import type { WireValue } from './lds';

/**
 * The preview page shell: lays out the page the server describes (a flexipage's header, main and
 * sidebar regions, or an app page), draws stand-ins for the standard components (highlights panel,
 * record details, related lists) and mounts the package's components with LWC's createElement, passing
 * recordId/objectApiName and their App Builder property values as Lightning Experience does. It also
 * shows `lightning__showtoast` events as SLDS toasts. Everything it reads comes through the same LDS
 * adapters the components use, so it updates when a component saves.
 *
 * Like Lightning Experience, a single-page app, it opens another record without a page load: a click on
 * a record page link (or NavigationMixin) draws that record's page in place, with new component
 * instances, and pushes the URL; Back and Forward do the same. The record list, where this starts from
 * in the preview, loads the shell too and loads the record pages' components while the rep reads it.
 */

type CreateElement = (tag: string, options: { is: unknown }) => HTMLElement;
interface ComponentModule {
  default: unknown;
}
/** Per component specifier: its module (imported by the page's entry), or a loader (the generic entry). */
type Loaders = Record<string, ComponentModule | (() => Promise<ComponentModule>)>;

interface ObjectInfo {
  label: string;
  fields: Record<string, { label: string; dataType: string; relationshipName: string | null; updateable?: boolean; compound?: boolean }>;
  childRelationships: Array<{ childObjectApiName: string; relationshipName: string; fieldName: string }>;
}

const SPRITE = '/assets/icons';
/** Standard components the preview draws stand-ins for; other standard components are named in a placeholder. */
const DRAWN = ['force:highlightsPanel', 'force:detailPanel', 'force:relatedListContainer', 'flexipage:tabset', 'flexipage:tab'];

export function startPreview(createElement: CreateElement, loaders: Loaders): void {
  performance.mark('preview:start');
  const config = previewConfig();
  document.addEventListener(SHOW_TOAST_EVENT_NAME, (e) => showToast((e as CustomEvent<ToastConfig>).detail ?? {}));
  const root = document.getElementById('preview-root');
  if (root && config.page) drawPage(createElement, loaders, config, root);
  startRouter(createElement, loaders);
  keepPersonaReturn();
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The record page a same-origin URL shows, when the shell can draw it. */
function recordRoute(url: URL): { objectApiName: string; recordId: string } | undefined {
  if (url.origin !== window.location.origin || url.search) return undefined;
  const config = previewConfig();
  for (const [objectApiName, route] of Object.entries(config.recordRoutes)) {
    const recordId = url.pathname.startsWith(route) ? url.pathname.slice(route.length) : '';
    if (RECORD_ID.test(recordId) && config.recordPages?.[objectApiName]) return { objectApiName, recordId };
  }
  return undefined;
}

/**
 * Client-side navigation between record pages. Each history entry the shell made carries a view number;
 * the page it started on (a record page or the record list) is view 0, whose content is kept to show it
 * again on Back. Record pages are drawn anew each time (new component instances, fresh wires).
 */
function startRouter(createElement: CreateElement, loaders: Loaders): void {
  if (!previewConfig().recordPages) return;
  let views = 0;
  let currentView = 0;
  const start = document.querySelector('main');
  const startIsList = !previewConfig().page;
  const kept = new Map<number, { main: HTMLElement; title: string }>();
  history.replaceState({ previewView: 0 }, '');
  const shownPath = () => `${window.location.pathname}${window.location.search}`;
  let shown = shownPath();

  const show = (url: URL, view: number, startTime: number): void => {
    performance.mark('preview:navigation', { startTime, detail: url.pathname });
    const leaving = document.querySelector('main');
    const route = recordRoute(url);
    let next: HTMLElement | undefined;
    if (route) {
      setPreviewRecord(route.objectApiName, route.recordId);
      const config = previewConfig();
      next = el('main', { id: 'preview-root', class: 'slds-var-p-around_small', 'data-page': config.page?.name ?? '', tabindex: '-1' });
    } else {
      const back = kept.get(view);
      if (!back) return window.location.reload();
      next = back.main;
      document.title = back.title;
      setPreviewRecord(undefined, undefined);
    }
    // the record list the rep started from is kept for Back; record pages are drawn anew
    if (leaving && leaving === start && startIsList && currentView === 0) kept.set(0, { main: leaving, title: document.title });
    if (leaving) leaving.replaceWith(next);
    else document.body.append(next);
    currentView = view;
    shown = `${url.pathname}${url.search}`;
    if (route) drawPage(createElement, loaders, previewConfig(), next);
    window.scrollTo(0, 0);
    next.focus({ preventScroll: true });
  };

  const go = (url: URL, replace: boolean, startTime: number): boolean => {
    if (!recordRoute(url)) return false;
    const view = replace ? currentView : ++views;
    if (replace) history.replaceState({ previewView: view }, '', url);
    else history.pushState({ previewView: view }, '', url);
    show(url, view, startTime);
    return true;
  };

  setRouter((href, replace) => go(new URL(href, window.location.href), replace, performance.now()));
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement && !!n.href);
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    if (go(new URL(link.href), false, e.timeStamp)) e.preventDefault();
  });
  window.addEventListener('popstate', (e) => {
    const state = e.state as { previewView?: number } | null;
    if (typeof state?.previewView !== 'number') {
      // a #fragment of the page shown (no entry of ours): nothing to draw; anything else loads as usual
      if (shownPath() !== shown) window.location.reload();
      return;
    }
    show(new URL(window.location.href), state.previewView, e.timeStamp);
  });
  // On the record list: load the record pages' components while the rep reads it.
  if (!previewConfig().page) {
    const specifiers = new Set(
      Object.values(previewConfig().recordPages ?? {}).flatMap((p) => p.page.regions.flatMap((r) => r.components.map((c) => c.specifier)))
    );
    const warm = () =>
      specifiers.forEach((s) => typeof loaders[s] === 'function' && void (loaders[s] as () => Promise<unknown>)().catch(() => undefined));
    if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 2000 });
    else setTimeout(warm, 200);
  }
}

function drawPage(createElement: CreateElement, loaders: Loaders, config: PreviewConfig, root: HTMLElement): void {
  if (!config.page) return;
  const layout = pageLayout(config, root);
  for (const region of config.page.regions) {
    const container = layout.region(region.name);
    if (region.standard.includes('force:highlightsPanel') && config.recordId) highlights(config, container);
    if (config.recordId && (region.standard.includes('force:detailPanel') || region.standard.includes('force:relatedListContainer'))) {
      recordTabs(config, container, region);
    }
    for (const component of region.components) mount(createElement, loaders, component, config, container);
    for (const name of region.standard.filter((n) => !DRAWN.includes(n))) {
      container.append(
        el(
          'p',
          { class: 'slds-box slds-theme_shade slds-text-color_weak slds-var-m-bottom_small preview-standard' },
          `${name} (a standard component; not drawn in the preview)`
        )
      );
    }
  }
}

function mount(createElement: CreateElement, loaders: Loaders, c: PreviewComponent, config: PreviewConfig, container: HTMLElement): void {
  const slot = el('div', { class: 'slds-var-m-bottom_small preview-component' });
  container.append(slot);
  const load = loaders[c.specifier];
  if (!load) {
    slot.append(el('p', { class: 'slds-text-color_error' }, `${c.specifier} is not in the preview build.`));
    return;
  }
  const create = (mod: ComponentModule) => {
    performance.mark(`preview:loaded:${c.specifier}`);
    const host = createElement(c.tag, { is: mod.default }) as HTMLElement & Record<string, unknown>;
    host.setAttribute('data-preview-component', c.specifier);
    if (config.recordId) {
      host.recordId = config.recordId;
      host.objectApiName = config.objectApiName;
    }
    for (const [name, value] of Object.entries(c.properties)) host[name] = value;
    slot.append(host);
    performance.mark(`preview:mounted:${c.specifier}`);
  };
  if (typeof load !== 'function') return create(load);
  load().then(create, (e: unknown) =>
    slot.append(el('p', { class: 'slds-text-color_error', role: 'alert' }, `${c.specifier} failed to load: ${String(e)}`))
  );
}

function pageLayout(config: PreviewConfig, root: HTMLElement): { region(name: string): HTMLElement } {
  const grid = el('div', { class: 'slds-grid slds-wrap slds-gutters_x-small preview-page' });
  root.append(grid);
  const regions = new Map<string, HTMLElement>();
  const half = 'slds-size_1-of-1 slds-large-size_6-of-12';
  const sizes: Record<string, string> = {
    header: 'slds-size_1-of-1',
    top: 'slds-size_1-of-1',
    bottomLeft: half,
    bottomRight: half,
    left: half,
    right: half,
    main: config.page?.regions.some((r) => r.name === 'sidebar') ? 'slds-size_1-of-1 slds-large-size_8-of-12' : 'slds-size_1-of-1',
    sidebar: 'slds-size_1-of-1 slds-large-size_4-of-12'
  };
  const order = ['header', 'top', 'main', 'left', 'bottomLeft', 'right', 'bottomRight', 'sidebar'];
  const names = [...(config.page?.regions.map((r) => r.name) ?? [])].sort(
    (a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99)
  );
  for (const name of names) {
    const col = el('div', { class: `slds-col ${sizes[name] ?? 'slds-size_1-of-1'} slds-var-m-bottom_small`, 'data-region': name });
    grid.append(col);
    regions.set(name, col);
  }
  return {
    region(name) {
      return regions.get(name) ?? grid;
    }
  };
}

/** Subscribes like a component would: a getRecord/getObjectInfo wire driven by hand. */
function wire<T>(
  Adapter: new (cb: (v: WireValue<T>) => void) => { update(c: Record<string, unknown>): void; connect(): void },
  config: Record<string, unknown>,
  cb: (v: WireValue<T>) => void
): void {
  const adapter = new Adapter(cb);
  adapter.update(config);
  adapter.connect();
}

function objectInfo(objectApiName: string, cb: (info: ObjectInfo | undefined) => void): void {
  wire<ObjectInfo>(getObjectInfo as never, { objectApiName }, (v) => cb(v.data));
}

function fieldLabel(info: ObjectInfo | undefined, qualified: string): string {
  const path = qualified.split('.').slice(1);
  const field = path.length > 1 ? Object.values(info?.fields ?? {}).find((f) => f.relationshipName === path[0]) : info?.fields?.[path[0]];
  const label = field?.label ?? path.join('.');
  return path.length > 1 ? label.replace(/ ID$/, '') : label;
}

function display(record: RecordRepresentation | undefined, field: string): string {
  const value = getFieldValue(record, field);
  const shown = getFieldDisplayValue(record, field);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (shown !== null && shown !== undefined && shown !== '') return String(shown);
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return new Date(value).toLocaleString(previewConfig().locale, {
      timeZone: previewConfig().timeZone,
      dateStyle: 'medium',
      timeStyle: 'short'
    });
  }
  return String(value);
}

function highlights(config: PreviewConfig, container: HTMLElement): void {
  const object = config.objectApiName ?? '';
  const fields = config.highlightFields ?? [];
  const title = el('h1', { class: 'slds-page-header__title slds-truncate' }, '…');
  const objectLabel = el('p', { class: 'slds-page-header__name-meta' }, object);
  const details = el('ul', { class: 'slds-page-header__detail-row' });
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
            { class: 'slds-page-header__detail-block' },
            el('div', { class: 'slds-text-title slds-truncate' }, fieldLabel(info, f)),
            el('div', { class: 'slds-truncate', 'data-field': f }, display(record, f))
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

function errorText(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (Array.isArray(body)) return body.map((e: { message?: string }) => e.message).join(' ');
  return String((body as { message?: string } | undefined)?.message ?? (error as { statusText?: string }).statusText ?? 'error');
}

function recordTabs(config: PreviewConfig, container: HTMLElement, region: PreviewRegion): void {
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
          { class: 'slds-col slds-size_1-of-2 slds-form-element slds-form-element_readonly slds-var-p-horizontal_x-small' },
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
        heading.textContent = child
          ? `${(child as ObjectInfo & { labelPlural?: string }).labelPlural ?? child.label}`
          : rel.relationshipName;
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

function showToast(toast: ToastConfig): void {
  let region = document.getElementById('preview-toasts');
  if (!region) {
    region = el('div', {
      id: 'preview-toasts',
      class: 'slds-notify_container slds-is-fixed',
      role: 'region',
      'aria-label': 'Notifications'
    });
    document.body.append(region);
  }
  const variant = toast.variant ?? 'info';
  const close = el(
    'button',
    { class: 'slds-button slds-button_icon slds-button_icon-inverse', title: 'Close', type: 'button' },
    icon('utility', 'close', 'slds-button__icon slds-button__icon_large'),
    el('span', { class: 'slds-assistive-text' }, 'Close')
  );
  const node = el(
    'div',
    { class: `slds-notify slds-notify_toast slds-theme_${variant}`, role: variant === 'error' ? 'alert' : 'status' },
    el('span', { class: 'slds-assistive-text' }, variant),
    el(
      'span',
      { class: `slds-icon_container slds-icon-utility-${variant} slds-m-right_small` },
      icon('utility', variant, 'slds-icon slds-icon_small')
    ),
    el(
      'div',
      { class: 'slds-notify__content' },
      el('h2', { class: 'slds-text-heading_small' }, toast.title ?? ''),
      toast.message ? el('p', {}, toast.message) : ''
    ),
    el('div', { class: 'slds-notify__close' }, close)
  );
  const remove = () => node.remove();
  close.addEventListener('click', remove);
  region.append(node);
  if (toast.mode !== 'sticky') setTimeout(remove, variant === 'error' || variant === 'warning' ? 10000 : 4800);
}

/**
 * An SLDS icon from its own small SVG file. The page shows these on first render; the sprite
 * (`icon()`) is half a megabyte of SVG that Chromium parses on the main thread, so it is kept for toasts.
 */
function iconImage(category: string, name: string, className: string): HTMLElement {
  return el('img', { class: className, src: `/assets/icons/${category}/${name}.svg`, alt: '' });
}

function icon(sprite: string, name: string, className: string): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', `${SPRITE}/${sprite}-sprite/svg/symbols.svg#${name}`);
  svg.append(use);
  return svg;
}

function el(tag: string, attrs: Record<string, string>, ...children: Array<Node | string>): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}
