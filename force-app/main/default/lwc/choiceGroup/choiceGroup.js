import { LightningElement, api } from 'lwc';

let groupCount = 0;

/**
 * A labelled group of radio buttons in the SLDS "radio button group" look (one click picks a value).
 * Native radio inputs in a fieldset with a legend, so it is keyboard operable (Tab into the group,
 * arrow keys to move) and announced as a group by screen readers. The error text is set by the
 * parent (inline field error) and tied to the inputs with aria-describedby.
 *
 * Fires `change` with detail { value }.
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

  name = `choice-group-${++groupCount}`;
  currentValue = '';

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

  get describedBy() {
    return this.errorMessage ? 'error-message' : undefined;
  }

  handleChange(event) {
    this.currentValue = event.target.value;
    this.dispatchEvent(new CustomEvent('change', { detail: { value: this.currentValue } }));
  }
}
