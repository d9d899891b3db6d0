import { BELL_CSS } from './notifications';

/** The preview's own chrome (and how it folds on a phone: the navigation on a row of its own); everything else is SLDS. */
export const PREVIEW_CSS = `body { background: #f3f3f3; min-height: 100vh; }
.preview-bar { position: sticky; top: 0; z-index: 5; }
.preview-nav a { display: inline-block; padding: 0 0.75rem; line-height: 2.5rem; }
.preview-user { line-height: 2.5rem; }
#preview-toasts { top: 3rem; z-index: 9000; }
.preview-field-value { overflow-wrap: anywhere; }
.slds-page-header__detail-row .slds-page-header__detail-block { max-width: none; padding: 0 1rem 0.5rem 0; }
@media (max-width: 47.9375em) {
  .preview-bar { flex-wrap: wrap; height: auto; }
  .preview-bar .slds-context-bar__secondary { order: 3; flex: 1 0 100%; overflow-x: auto; }
  .preview-nav { flex-wrap: nowrap; }
  .preview-nav a { white-space: nowrap; padding: 0 0.5rem; }
  #preview-toasts { top: 5.5rem; }
  #preview-toasts .slds-notify_toast { min-width: 0; max-width: calc(100vw - 1rem); }
}
${BELL_CSS}`;
