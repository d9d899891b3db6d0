import { previewConfig } from './config';
import { navigateTo } from './router';

/**
 * `lightning/navigation` in the preview: NavigationMixin (Navigate, GenerateUrl) and the
 * CurrentPageReference wire, mapping page references onto the preview's own URLs: record pages of
 * objects with a Lightning record page, `/record/<Id>` for others (the server redirects by key
 * prefix), the list for object pages and `/home` for named and nav-item pages. A record page opens
 * without a page load when the page shell can draw it (`./router`).
 */

export interface PageReference {
  type: string;
  attributes?: Record<string, string | undefined>;
  state?: Record<string, string | undefined>;
}

const NAVIGATE: unique symbol = Symbol('Navigate');
const GENERATE_URL: unique symbol = Symbol('GenerateUrl');

export function urlFor(ref: PageReference): string {
  const a = ref?.attributes ?? {};
  switch (ref?.type) {
    case 'standard__recordPage': {
      const route = a.objectApiName ? previewConfig().recordRoutes[a.objectApiName] : undefined;
      return route ? `${route}${encodeURIComponent(a.recordId ?? '')}` : `/record/${encodeURIComponent(a.recordId ?? '')}`;
    }
    case 'standard__objectPage':
      return `/?object=${encodeURIComponent(a.objectApiName ?? '')}`;
    case 'standard__webPage':
      return a.url ?? '/';
    case 'standard__namedPage':
    case 'standard__navItemPage':
    case 'standard__app':
      return '/home';
    default:
      return '/';
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript requires any[] for mixin constructors
type Constructor = new (...args: any[]) => object;

function mixin<T extends Constructor>(Base: T) {
  return class extends Base {
    [NAVIGATE](ref: PageReference, replace?: boolean): void {
      const url = urlFor(ref);
      if (ref?.type === 'standard__webPage') window.open(url, '_blank', 'noopener');
      else navigateTo(url, replace);
    }

    [GENERATE_URL](ref: PageReference): Promise<string> {
      return Promise.resolve(urlFor(ref));
    }
  };
}

export const NavigationMixin = Object.assign(mixin, { Navigate: NAVIGATE, GenerateUrl: GENERATE_URL });

/** The page the component is on, as Lightning Experience would describe it. */
export function currentPageReference(): PageReference {
  const c = previewConfig();
  if (c.recordId && c.objectApiName) {
    return {
      type: 'standard__recordPage',
      attributes: { recordId: c.recordId, objectApiName: c.objectApiName, actionName: 'view' },
      state: {}
    };
  }
  return { type: 'standard__namedPage', attributes: { pageName: 'home' }, state: {} };
}

/** Wire adapter: `@wire(CurrentPageReference) pageRef;`. */
export class CurrentPageReference {
  private connected = false;
  private emitted = false;

  constructor(private readonly callback: (value: PageReference) => void) {}

  update(): void {
    this.emit();
  }

  connect(): void {
    this.connected = true;
    this.emit();
  }

  disconnect(): void {
    this.connected = false;
  }

  private emit(): void {
    if (!this.connected || this.emitted) return;
    this.emitted = true;
    this.callback(Object.freeze(currentPageReference()));
  }
}
