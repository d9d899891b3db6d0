import { createElement } from '@lwc/engine-dom';
import ChoiceGroup from 'c/choiceGroup';

const OPTIONS = [
  { label: '1', value: '1', description: 'poor' },
  { label: '2', value: '2' },
  { label: '3', value: '3' }
];

function createGroup(props = {}) {
  const element = createElement('c-choice-group', { is: ChoiceGroup });
  Object.assign(element, { label: 'Rating', options: OPTIONS, ...props });
  document.body.appendChild(element);
  return element;
}

function labelFor(element, text) {
  return [...element.shadowRoot.querySelectorAll('label')].find((label) => label.textContent.trim().startsWith(text));
}

describe('c-choice-group', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('renders a labelled group of native radios sharing one name', () => {
    const element = createGroup({ value: 2 });
    expect(element.shadowRoot.querySelector('legend').textContent).toContain('Rating');
    const radios = [...element.shadowRoot.querySelectorAll('input[type="radio"]')];
    expect(radios.map((r) => r.value)).toEqual(['1', '2', '3']);
    expect(new Set(radios.map((r) => r.name)).size).toBe(1);
    expect(radios.map((r) => r.checked)).toEqual([false, true, false]);
    expect(element.value).toBe('2');
  });

  it('selects with one click on the label and tells the parent', async () => {
    const element = createGroup();
    const handler = jest.fn();
    element.addEventListener('change', handler);

    labelFor(element, '3').click();
    await Promise.resolve();

    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].detail).toEqual({ value: '3' });
    expect(element.value).toBe('3');
    expect(element.shadowRoot.querySelector('input[value="3"]').checked).toBe(true);
  });

  it('shows an inline error tied to the inputs', async () => {
    const element = createGroup({ required: true, errorMessage: 'Choose a rating.' });
    await Promise.resolve();
    const error = element.shadowRoot.querySelector('.slds-form-element__help');
    expect(error.textContent).toBe('Choose a rating.');
    expect(element.shadowRoot.querySelector('fieldset').classList).toContain('slds-has-error');
    const input = element.shadowRoot.querySelector('input');
    expect(input.getAttribute('aria-describedby')).toBe(error.id);
    expect(input.required).toBe(true);
    expect(element.shadowRoot.querySelector('abbr.slds-required')).not.toBeNull();
  });

  it('moves focus into the group', () => {
    const element = createGroup({ value: '3' });
    element.focus();
    expect(element.shadowRoot.activeElement).toBe(element.shadowRoot.querySelector('input[value="3"]'));
  });

  it('picks an option by typing the start of its label, and asks the parent to go on with Enter', async () => {
    const element = createGroup({
      options: [
        { label: 'Accept', value: 'Accept' },
        { label: 'Recycle', value: 'Recycle' },
        { label: 'Reject', value: 'Reject' }
      ]
    });
    const changes = [];
    const commit = jest.fn();
    element.addEventListener('change', (e) => changes.push(e.detail.value));
    element.addEventListener('commit', commit);
    const inputs = () => [...element.shadowRoot.querySelectorAll('input')];
    const key = (k, timeStamp) => {
      const event = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
      Object.defineProperty(event, 'timeStamp', { value: timeStamp });
      element.shadowRoot.activeElement.dispatchEvent(event);
    };

    inputs()[0].focus();
    key('r', 1000);
    await Promise.resolve();
    expect(changes).toEqual(['Recycle']);
    expect(element.shadowRoot.activeElement).toBe(inputs()[1]);
    // the same letter again: the next option starting with it
    key('r', 1200);
    await Promise.resolve();
    expect(changes).toEqual(['Recycle', 'Reject']);
    expect(inputs()[2].checked).toBe(true);
    // letters typed together narrow the match; later they start over
    key('r', 5000);
    key('e', 5100);
    key('c', 5200);
    expect(changes.slice(-1)).toEqual(['Recycle']);
    key('x', 9000);
    expect(changes).toHaveLength(5);

    key('Enter', 9100);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('is accessible', async () => {
    const element = createGroup({ required: true, errorMessage: 'Choose a rating.' });
    await expect(element).toBeAccessible();
  });
});
