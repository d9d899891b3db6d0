import { createElement } from '@lwc/engine-dom';
import AlignmentScorecard from 'c/alignmentScorecard';
import { graphql } from 'lightning/graphql';

const mockNavigate = jest.fn();
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const NavigationMixin = (Base) =>
    class extends Base {
      [Navigate](pageRef) {
        mockNavigate(pageRef);
      }
      [GenerateUrl](pageRef) {
        if (pageRef.type === 'standard__webPage') return Promise.resolve(pageRef.attributes.url);
        const id = pageRef.attributes.recordId;
        return Promise.resolve(id ? `/lightning/r/Report/${id}/view` : '/lightning/o/Report/home');
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin };
});

const mockSnapshots = require('./data/scorecardSnapshots.json');
const mockEmpty = require('./data/scorecardEmpty.json');
const mockInProgress = require('./data/scorecardInProgress.json');

/** 5 microtask turns, one after another: the wires and the renders they trigger settle. */
function flushPromises() {
  return Array.from({ length: 5 }).reduce((turn) => turn.then(() => undefined), Promise.resolve());
}

function createComponent() {
  const element = createElement('c-alignment-scorecard', { is: AlignmentScorecard });
  document.body.appendChild(element);
  return element;
}

/** The text a reader sees in a node, with blocks and list items separated by a space. */
function textOf(node) {
  if (node.nodeType === 3) return node.textContent;
  return [...node.childNodes].map(textOf).join(' ').replace(/\s+/g, ' ').trim();
}

/** The rows of the side's table, as the text of each cell. */
function rowsOf(element, side) {
  const section = [...element.shadowRoot.querySelectorAll('section')].find((s) => s.querySelector('h3').textContent.startsWith(side));
  return [...section.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th, td')].map(textOf));
}

describe('c-alignment-scorecard', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows both sides with target, actual, earlier periods and met / missed in words', async () => {
    const element = createComponent();
    graphql.emit(mockSnapshots);
    await flushPromises();

    const headings = [...element.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent.replace(/\s+/g, ' ').trim());
    expect(headings).toEqual(['Marketing commitments (1 of 2 met)', 'Sales commitments (1 of 2 met)']);

    const marketing = rowsOf(element, 'Marketing');
    expect(marketing[0][0]).toBe('Average Lead Quality March 2026');
    expect(marketing[0][1]).toBe('at least 3.5');
    expect(marketing[0][2]).toMatch(/^3\.72/);
    expect(marketing[0][3]).toBe('December 2025: 3.4 January 2026: 3.6 February 2026: 3.55');
    // the period and its value stay apart on screen (the template compiler drops a space between an element and text)
    expect(element.shadowRoot.querySelector('li.slds-item').textContent).toBe('December 2025:\u00a03.4');
    expect(marketing[0][4]).toBe('Met');
    expect(marketing[1][4]).toBe('Missed');
    // a period without records has no figure (nor a link to an empty report)
    expect(marketing[1][3]).toContain('January 2026: no data');

    const sales = rowsOf(element, 'Sales');
    expect(sales[0][1]).toBe('at least 90%');
    expect(sales[0][2]).toMatch(/^92\.5%/);
    expect(sales[1][2]).toMatch(/^-/);
    expect(sales[1][3]).toBe('-');
    expect(sales[1][4]).toBe('No data');
  });

  it('states each result with an icon and text, not colour alone', async () => {
    const element = createComponent();
    graphql.emit(mockSnapshots);
    await flushPromises();
    const cells = [...element.shadowRoot.querySelectorAll('td.result')];
    expect(cells.map((c) => c.querySelector('lightning-icon').iconName)).toEqual([
      'utility:success',
      'utility:error',
      'utility:success',
      'utility:dash'
    ]);
    expect(cells.map((c) => c.textContent.trim())).toEqual(['Met', 'Missed', 'Met', 'No data']);
    const trendIcons = [...element.shadowRoot.querySelectorAll('li lightning-icon')].map((i) => i.alternativeText);
    expect(trendIcons).toEqual(['Missed', 'Met', 'Met', 'Met', 'Missed', 'Missed']);
  });

  it('links each actual to its report: the Report record when its Id is known, else the Reports tab; no data, no link', async () => {
    const element = createComponent();
    graphql.emit(mockSnapshots);
    await flushPromises();
    const links = [...element.shadowRoot.querySelectorAll('tbody a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '/lightning/r/Report/00O5g000004AbCdEAK/view',
      '/lightning/o/Report/home',
      '/lightning/r/Report/00O5g000004AbCeEAK/view'
    ]);
    expect(links[0].title).toBe('Open the report for Average Lead Quality: Lead Quality By Lead Source');

    links[0].click();
    expect(mockNavigate).toHaveBeenLastCalledWith({
      type: 'standard__recordPage',
      attributes: { recordId: '00O5g000004AbCdEAK', objectApiName: 'Report', actionName: 'view' }
    });
    links[1].click();
    expect(mockNavigate).toHaveBeenLastCalledWith({
      type: 'standard__objectPage',
      attributes: { objectApiName: 'Report', actionName: 'home' }
    });
  });

  it('gives a period in progress a pace, not a verdict, and a period not started none', async () => {
    const element = createComponent();
    graphql.emit(mockInProgress);
    await flushPromises();
    const headings = [...element.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent.replace(/\s+/g, ' ').trim());
    expect(headings).toEqual(['Marketing commitments (1 of 2 met or on pace)', 'Sales commitments (0 of 1 met)']);
    const cells = [...element.shadowRoot.querySelectorAll('td.result')];
    // a volume says how far along it is; a rate's pace is its figure against the target
    expect(cells.map(textOf)).toEqual(['Behind pace Behind pace: 201 of 240 expected by today', 'On pace', 'Not started']);
    expect(cells.map((c) => c.querySelector('lightning-icon').iconName)).toEqual(['utility:warning', 'utility:success', 'utility:clock']);
    expect(rowsOf(element, 'Marketing')[0][3]).toBe(
      'October 2026: no data November 2026: 884 (Open the report for MQL Volume, November 2026)'
    );
  });

  it('links every figure to its report for its period: the stored URL of the period, earlier periods too', async () => {
    const element = createComponent();
    graphql.emit(mockInProgress);
    await flushPromises();
    const current = [...element.shadowRoot.querySelectorAll('td > a')].map((a) => a.getAttribute('href'));
    expect(current).toEqual([
      '/reports/Funnel_Conversion_And_Velocity?period=2026-12-01..2026-12-31',
      '/lightning/r/Report/00O5g000004AbCdEAK/view'
    ]);
    const earlier = [...element.shadowRoot.querySelectorAll('li a')];
    expect(earlier.map((a) => a.getAttribute('href'))).toEqual(['/reports/Funnel_Conversion_And_Velocity?period=2026-11-01..2026-11-30']);
    earlier[0].click();
    expect(mockNavigate).toHaveBeenLastCalledWith({
      type: 'standard__webPage',
      attributes: { url: '/reports/Funnel_Conversion_And_Velocity?period=2026-11-01..2026-11-30' }
    });
    await expect(element).toBeAccessible();
  });

  it('says how to create the scorecard when there is none yet', async () => {
    const element = createComponent();
    graphql.emit(mockEmpty);
    await flushPromises();
    expect(element.shadowRoot.querySelector('table')).toBeNull();
    expect(element.shadowRoot.textContent).toContain('closed-loop scorecard --write');
  });

  it('shows a load error instead of an empty scorecard', async () => {
    const element = createComponent();
    graphql.emitErrors([{ message: 'Insufficient access to Scorecard_Snapshot__c' }]);
    await flushPromises();
    const alert = element.shadowRoot.querySelector('[role="alert"]');
    expect(alert.textContent).toContain('Insufficient access to Scorecard_Snapshot__c');
    expect(element.shadowRoot.querySelector('table')).toBeNull();
  });

  it('is accessible with data', async () => {
    const element = createComponent();
    graphql.emit(mockSnapshots);
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('is accessible when empty and on error', async () => {
    const element = createComponent();
    graphql.emit(mockEmpty);
    await flushPromises();
    await expect(element).toBeAccessible();
    graphql.emitErrors([{ message: 'No access' }]);
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
