import { previewConfig } from './config';
import { getFieldDisplayValue, getFieldValue, type RecordRepresentation } from './uiRecordApi';
import { getObjectInfo } from './uiObjectInfoApi';
import type { WireValue } from './lds';

/**
 * What the page shell and its stand-ins for standard components share: DOM building, SLDS icons, the wires
 * they read through (the same LDS adapters the components use, so they update when a component saves, and
 * are let go with their page), and how a field value reads.
 */

export interface ObjectInfo {
  label: string;
  labelPlural?: string;
  fields: Record<string, { label: string; dataType: string; relationshipName: string | null; updateable?: boolean; compound?: boolean }>;
  childRelationships: Array<{ childObjectApiName: string; relationshipName: string; fieldName: string }>;
}

export interface ShellWire {
  update(c: Record<string, unknown>): void;
  connect(): void;
  disconnect(): void;
  refresh(): Promise<void>;
}

/** The shell's wires of the page drawn last (refreshed by a RefreshEvent, let go when another page is drawn). */
export const pageWires: { list: ShellWire[] } = { list: [] };

/** Subscribes like a component would: a wire adapter driven by hand, let go with its page. */
export function wire<T>(
  Adapter: new (cb: (v: WireValue<T>) => void) => ShellWire,
  config: Record<string, unknown>,
  cb: (v: WireValue<T>) => void
): void {
  const adapter = new Adapter(cb);
  adapter.update(config);
  adapter.connect();
  pageWires.list.push(adapter);
}

export function objectInfo(objectApiName: string, cb: (info: ObjectInfo | undefined) => void): void {
  wire<ObjectInfo>(getObjectInfo as never, { objectApiName }, (v) => cb(v.data));
}

export function fieldLabel(info: ObjectInfo | undefined, qualified: string): string {
  const path = qualified.split('.').slice(1);
  const field = path.length > 1 ? Object.values(info?.fields ?? {}).find((f) => f.relationshipName === path[0]) : info?.fields?.[path[0]];
  const label = field?.label ?? path.join('.');
  return path.length > 1 ? label.replace(/ ID$/, '') : label;
}

/** An ISO date-time in the user's locale and time zone, as Lightning Experience shows it. */
export function dateTime(value: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Date(value).toLocaleString(previewConfig().locale, { timeZone: previewConfig().timeZone, ...options });
}

export function display(record: RecordRepresentation | undefined, field: string): string {
  const value = getFieldValue(record, field);
  const shown = getFieldDisplayValue(record, field);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (shown !== null && shown !== undefined && shown !== '') return String(shown);
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return dateTime(value);
  return String(value);
}

export function errorText(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (Array.isArray(body)) return body.map((e: { message?: string }) => e.message).join(' ');
  return String((body as { message?: string } | undefined)?.message ?? (error as { statusText?: string }).statusText ?? 'error');
}

const SPRITE = '/assets/icons';

/**
 * An SLDS icon from its own small SVG file. The page shows these on first render; the sprite
 * (`icon()`) is half a megabyte of SVG that Chromium parses on the main thread, so it is kept for toasts.
 */
export function iconImage(category: string, name: string, className: string): HTMLElement {
  return el('img', { class: className, src: `/assets/icons/${category}/${name}.svg`, alt: '' });
}

export function icon(sprite: string, name: string, className: string): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', `${SPRITE}/${sprite}-sprite/svg/symbols.svg#${name}`);
  svg.append(use);
  return svg;
}

export function el(tag: string, attrs: Record<string, string>, ...children: Array<Node | string>): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}
