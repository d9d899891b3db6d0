import { LightningElement, api } from 'lwc';

let groupCount = 0;
/** Keys typed within this many ms of each other add to the type-ahead text. */
const TYPE_AHEAD_MS = 800;

/**
 * A labelled group of radio buttons in the SLDS "radio button group" look (one click picks a value), joined or
 * as separate buttons that wrap (`variant="spaced"`, for longer lists such as reasons).
 * Native radio inputs in a fieldset with a legend, so it is keyboard operable and announced as a group by screen
 * readers: Tab into the group, then one key picks an option — Space, an arrow (which moves and picks, wrapping
 * around), or the start of its label typed (type-ahead: "4" for rating 4, "s" then "s" again for the next option
 * starting with S) — and Enter asks the parent to go on (`commit`), so a choice on the keyboard takes no more
 * steps than a click. The error text is set by the parent (inline field error) and tied to the inputs with
 * aria-describedby.
 *
 * Fires `change` with detail { value }, and `commit` on Enter.
 */
export default class ChoiceGroup extends LightningElement {
  /** Group label (the legend). */
  @api label;
  /** [{ label, value, description? }]; description is read to screen readers after the label. */
  @api options = [];
  /** Marks the group required (asterisk + required inputs). */
  @api required = false;
  /** Inline error message shown below the group; empty for none. */
  @api errorMessage;
  @api disabled = false;
  /** 'joined' (one SLDS radio button group, the default) or 'spaced' (separate buttons that wrap on a narrow screen). */
  @api variant = 'joined';
  /** A line below the group that says what the choice means; read with it by screen readers. */
  @api helpText;

  name = `choice-group-${++groupCount}`;
  currentValue = '';
  /** Type-ahead: what was typed, and when (event time) the last key was. */
  typed = '';
  typedAt = 0;

  /** The selected option value ('' = none). */
  @api
  get value() {
    return this.currentValue;
  }
  set value(value) {
    this.currentValue = value === undefined || value === null ? '' : String(value);
  }

  /** Moves focus to the selected option, or the first one. */
  @api
  focus() {
    const input = this.template.querySelector('input:checked') || this.template.querySelector('input');
    if (input) {
      input.focus();
    }
  }

  get items() {
    return (this.options || []).map((option, index) => ({
      label: option.label,
      value: String(option.value),
      description: option.description,
      id: `option-${index}`,
      checked: String(option.value) === this.currentValue
    }));
  }

  get formElementClass() {
    return this.errorMessage ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get groupClass() {
    return this.variant === 'spaced' ? 'choices_spaced' : 'slds-radio_button-group';
  }

  get describedBy() {
    const ids = [this.helpText ? 'help-text' : '', this.errorMessage ? 'error-message' : ''].filter(Boolean);
    return ids.length ? ids.join(' ') : undefined;
  }

  handleChange(event) {
    this.select(event.target.value);
  }

  select(value) {
    this.currentValue = value;
    this.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  }

  handleKeyDown(event) {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.dispatchEvent(new CustomEvent('commit'));
      return;
    }
    if (event.key.length !== 1 || event.key === ' ' || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const key = event.key.toLowerCase();
    const fresh = event.timeStamp - this.typedAt > TYPE_AHEAD_MS;
    this.typedAt = event.timeStamp;
    // the same letter again moves on to the next option starting with it; more letters narrow the match
    this.typed = fresh || this.typed === key ? key : this.typed + key;
    const items = this.items;
    const current = items.findIndex((item) => item.value === event.target.value);
    const ordered = [...items.slice(current + 1), ...items.slice(0, current + 1)];
    const startsWith = (text) => (item) => item.label.toLowerCase().startsWith(text);
    const match = (this.typed.length > 1 ? items.find(startsWith(this.typed)) : undefined) || ordered.find(startsWith(key));
    if (!match) {
      return;
    }
    event.preventDefault();
    this.select(match.value);
    this.template.querySelectorAll('input')[items.indexOf(match)].focus();
  }
}
