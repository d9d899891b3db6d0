/**
 * Where `lightning/navigation` sends a page reference: the page shell's client-side router when it
 * takes the URL (a record page it can draw without a page load, as Lightning Experience, a single-page
 * app, does), otherwise a normal browser navigation.
 */
type Router = (url: string, replace: boolean) => boolean;

let router: Router | undefined;

export function setRouter(next: Router): void {
  router = next;
}

export function navigateTo(url: string, replace = false): void {
  if (router?.(url, replace)) return;
  if (replace) window.location.replace(url);
  else window.location.assign(url);
}
