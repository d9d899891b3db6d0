/**
 * `lightning/platformShowToastEvent` in the preview: the same event Lightning Experience listens for
 * (`lightning__showtoast`, bubbling and composed); the preview page shows it as an SLDS toast.
 */
export const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';

export interface ToastConfig {
  title?: string;
  message?: string;
  messageData?: unknown[];
  variant?: 'info' | 'success' | 'warning' | 'error';
  mode?: 'dismissible' | 'pester' | 'sticky';
}

export class ShowToastEvent extends CustomEvent<ToastConfig> {
  constructor(toast: ToastConfig) {
    super(SHOW_TOAST_EVENT_NAME, { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}
