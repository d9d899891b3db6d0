import { previewConfig, setPreviewRecord, type PreviewComponent, type PreviewConfig } from './config';
import { keepPersonaReturn } from './persona';
import { setRouter } from './router';
import { SHOW_TOAST_EVENT_NAME, type ToastConfig } from './platformShowToastEvent';
import { registerRefreshContainer, registerRefreshHandler, unregisterRefreshContainer, unregisterRefreshHandler } from './refresh';
import { el, icon, pageWires } from './shell';
import { highlights, notDrawn, recordTabs, STAND_INS } from './standard';

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

const TABS = ['force:detailPanel', 'force:relatedListContainer', 'flexipage:tabset', 'flexipage:tab'];

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

/** The page drawn last: its shell wires and its RefreshView registrations, let go when another page is drawn. */
/** The RefreshView registrations of the page drawn last, let go (with its shell wires) when another page is drawn. */
let drawnHandles: Array<() => void> = [];

/**
 * The form factor the page renders as, from the viewport's width when the page is drawn, at SLDS's breakpoints:
 * Small (phone) below 48em, Medium (tablet) below 64em, else Large — what `{!$Client.FormFactor}` visibility rules
 * test. Like Lightning Experience, which takes it from the device, a page keeps it while shown: resizing the window
 * reflows the SLDS grid but does not draw the page again (a rep's half-filled form stays).
 */
export function formFactor(): 'Small' | 'Medium' | 'Large' {
  if (window.matchMedia('(max-width: 47.9375em)').matches) return 'Small';
  return window.matchMedia('(max-width: 63.9375em)').matches ? 'Medium' : 'Large';
}

function drawPage(createElement: CreateElement, loaders: Loaders, config: PreviewConfig, root: HTMLElement): void {
  if (!config.page) return;
  for (const w of pageWires.list) w.disconnect();
  for (const release of drawnHandles) release();
  pageWires.list = [];
  const wires = pageWires.list;
  // the page's layout, in a box of its own (the server may have put more into the root, e.g. links on Home)
  const host = el('div', { 'data-preview-layout': '' });
  const previous = root.querySelector(':scope > [data-preview-layout]');
  if (previous) previous.replaceWith(host);
  else root.append(host);
  const layout = pageLayout(config, host);
  // A Lightning record page is a RefreshView container: a component's RefreshEvent refreshes the page's standard
  // components (here, the shell's stand-ins) and every component that registered a refresh handler.
  const container = registerRefreshContainer(root, () => undefined);
  const shell = registerRefreshHandler(layout.grid, () => Promise.all(wires.map((w) => w.refresh())).then(() => true));
  drawnHandles = [() => unregisterRefreshContainer(container), () => unregisterRefreshHandler(shell)];
  const shownOn = formFactor();
  for (const region of config.page.regions) {
    const target = layout.region(region.name);
    const order = region.order ?? [...region.standard.map((n) => `s${n}`), ...region.components.map((_c, i) => `c${i}`)];
    let tabsDrawn = false;
    for (const item of order) {
      if (item.startsWith('c')) {
        const component = region.components[Number(item.slice(1))];
        if (component && (!component.formFactors || component.formFactors.includes(shownOn))) {
          mount(createElement, loaders, component, config, target);
        }
        continue;
      }
      const name = item.slice(1);
      if (name === 'force:highlightsPanel') {
        if (config.recordId) highlights(config, target);
      } else if (TABS.includes(name)) {
        if (config.recordId && !tabsDrawn) recordTabs(config, target, region);
        tabsDrawn = true;
      } else if (STAND_INS[name]) {
        STAND_INS[name](config, target, region.standardProperties?.[name] ?? {});
      } else {
        notDrawn(name, target);
      }
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

function pageLayout(config: PreviewConfig, root: HTMLElement): { grid: HTMLElement; region(name: string): HTMLElement } {
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
    grid,
    region(name) {
      return regions.get(name) ?? grid;
    }
  };
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
