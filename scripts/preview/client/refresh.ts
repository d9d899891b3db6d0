/**
 * `lightning/refresh` (the RefreshView API) in the preview, with the platform's exports: a component fires
 * `RefreshEvent` to ask for its view to be refreshed; the nearest registered container above it receives it,
 * stops it, and calls the refresh handlers registered in its part of the page in breadth-first order (a parent's
 * handler resolves before its children's run; a handler resolving `false` skips the handlers below it), then hands
 * the outcome to its own callback. The page shell registers each record page as a container and refreshes its
 * stand-ins for the standard components, as a Lightning record page does.
 * Platform reference: https://developer.salesforce.com/docs/platform/lwc/guide/data-refreshview-api.html and
 * https://developer.salesforce.com/docs/platform/lwc/guide/reference-lightning-refreshview-registerrefreshhandler.html
 */

export const RefreshEventName = 'lightning__refresh';
export const REFRESH_COMPLETE = 'RefreshComplete';
export const REFRESH_COMPLETE_WITH_ERRORS = 'RefreshCompleteWithErrors';
export const REFRESH_ERROR = 'RefreshError';

export type RefreshStatus = typeof REFRESH_COMPLETE | typeof REFRESH_COMPLETE_WITH_ERRORS | typeof REFRESH_ERROR;

export class RefreshEvent extends CustomEvent<unknown> {
  constructor() {
    super(RefreshEventName, { bubbles: true, composed: true, cancelable: true });
  }
}

type Handler = () => Promise<boolean> | boolean | void;
interface Registration {
  /** what the component passed: its host element, or the component itself (`this`) */
  context: unknown;
  handler: Handler;
}

const handlers = new Map<number, Registration>();
const containers = new Map<number, { element: Element; listener: EventListener }>();
let lastHandle = 0;

/** The DOM element of a context: an element, or a Lightning web component (`this.template.host`). */
function elementOf(context: unknown): Element | undefined {
  if (context instanceof Element) return context;
  const host = (context as { template?: { host?: unknown } } | undefined)?.template?.host;
  return host instanceof Element ? host : undefined;
}

/** The node above, across shadow roots (synthetic or native). */
function parentOf(node: Node): Node | null {
  if (node instanceof ShadowRoot) return node.host;
  return node.parentNode ?? ((node as { host?: Node }).host || null);
}

/** Ancestors of an element, nearest first. */
function ancestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let n = parentOf(node); n; n = parentOf(n)) out.push(n);
  return out;
}

function nearestContainer(element: Element): Element | undefined {
  const registered = new Set([...containers.values()].map((c) => c.element));
  return ancestors(element).find((n): n is Element => registered.has(n as Element));
}

async function refreshView(container: Element): Promise<RefreshStatus> {
  const mine = [...handlers.values()]
    .map((r) => ({ r, element: elementOf(r.context) }))
    .filter((x): x is { r: Registration; element: Element } => !!x.element && nearestContainer(x.element) === container)
    .map((x) => ({ ...x, depth: ancestors(x.element).length }))
    .sort((a, b) => a.depth - b.depth);
  const skipped = new Set<Element>();
  let failures = 0;
  for (const depth of [...new Set(mine.map((x) => x.depth))]) {
    const level = mine.filter((x) => x.depth === depth && !ancestors(x.element).some((n) => skipped.has(n as Element)));
    const results = await Promise.allSettled(level.map((x) => Promise.resolve(x.r.handler.call(x.r.context))));
    results.forEach((result, i) => {
      if (result.status === 'rejected') failures++;
      else if (result.value === false) skipped.add(level[i].element);
    });
  }
  if (!failures) return REFRESH_COMPLETE;
  return failures < mine.length ? REFRESH_COMPLETE_WITH_ERRORS : REFRESH_ERROR;
}

/** Registers `element` to receive RefreshEvent from below and refresh its view; `callback` gets the outcome's promise. */
export function registerRefreshContainer(context: unknown, callback: (status: Promise<RefreshStatus>) => void): number {
  const element = elementOf(context);
  if (!element) throw new TypeError('registerRefreshContainer needs an element or a component');
  const listener: EventListener = (event) => {
    event.stopPropagation();
    callback?.(refreshView(element));
  };
  element.addEventListener(RefreshEventName, listener);
  containers.set(++lastHandle, { element, listener });
  return lastHandle;
}

export function unregisterRefreshContainer(handle: number): void {
  const c = containers.get(handle);
  if (c) c.element.removeEventListener(RefreshEventName, c.listener);
  containers.delete(handle);
}

/** Registers a component's refresh handler (called with the component as `this`; resolves true to go on below it). */
export function registerRefreshHandler(context: unknown, handler: Handler): number {
  handlers.set(++lastHandle, { context, handler });
  return lastHandle;
}

export function unregisterRefreshHandler(handle: number): void {
  handlers.delete(handle);
}
