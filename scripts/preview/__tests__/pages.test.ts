import { readPages } from '../pages';

/**
 * The preview lays out the package's flexipages as Lightning does, form factors included: on a phone the SLA
 * clocks and the feedback (or review) come first, above the record's tabs; on a desktop they are in the sidebar.
 */
describe('preview pages from the flexipages', () => {
  const pages = readPages();
  const page = (object: string) => pages.find((p) => p.type === 'RecordPage' && p.sobjectType === object);

  it.each([
    ['Lead', 'leadQualityFeedback'],
    ['Opportunity', 'winLossReview']
  ])('%s: on a phone the SLA card and %s sit above the tabs; elsewhere in the sidebar', (object, form) => {
    const regions = page(object)?.regions ?? [];
    const main = regions.find((r) => r.name === 'main');
    const sidebar = regions.find((r) => r.name === 'sidebar');
    const names = (order: string[] | undefined, components: { specifier: string }[]) =>
      (order ?? []).map((item) => (item.startsWith('c') ? components[Number(item.slice(1))].specifier.replace('c/', '') : item.slice(1)));
    expect(names(main?.order, main?.components ?? [])).toEqual(['slaTimer', form, 'flexipage:tabset']);
    expect(main?.components.map((c) => c.formFactors)).toEqual([['Small'], ['Small']]);
    expect(sidebar?.components.map((c) => [c.specifier.replace('c/', ''), c.formFactors])).toEqual(
      expect.arrayContaining([
        ['slaTimer', ['Medium', 'Large']],
        [form, ['Medium', 'Large']]
      ])
    );
  });

  it('keeps the standard components of the home page and their properties, in page order', () => {
    const home = pages.find((p) => p.type !== 'RecordPage');
    const sidebar = home?.regions.find((r) => r.name === 'sidebar');
    expect(sidebar?.order).toEqual(['sflexipage:recentItems']);
    expect(sidebar?.standardProperties?.['flexipage:recentItems']).toEqual({
      entityNames: ['Lead', 'Opportunity'],
      label: 'Recent leads and opportunities',
      maxRecords: '5'
    });
  });
});
