import { previewConfig } from './config';

/**
 * `@salesforce/i18n/timeZone` and `@salesforce/i18n/locale` in the preview: the running user's
 * settings (User.TimeZoneSidKey, LocaleSidKey), as in Lightning Experience. Other `@salesforce/i18n`
 * values come from lightning-base-components' defaults (en-US).
 */
export const timeZone: string = previewConfig().timeZone;
export const locale: string = previewConfig().locale;
