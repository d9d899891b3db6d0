import { readBundles } from '../components';
import { componentSize } from '../size';

/**
 * Each component's own JS and HTML stay under 30 KB minified (base components excluded), so a record page
 * loads quickly (see docs/browser-preview.md#tests-and-figures).
 */
const LIMIT = 30 * 1024;
const bundles = readBundles();

describe('component size (compiled by LWC, minified, without base components)', () => {
  it('measures every component bundle of force-app', () => {
    expect(bundles.map((b) => b.name)).toEqual(expect.arrayContaining(['leadQualityFeedback', 'slaTimer', 'winLossReview']));
  });

  it.each(bundles.map((b) => [b.name, b] as const))('%s is under 30 KB', (_name, bundle) => {
    const size = componentSize(bundle);
    expect(size.files).toContain(`${bundle.name}.js`);
    expect(size.minifiedBytes).toBeGreaterThan(0);
    expect(size.minifiedBytes).toBeLessThan(LIMIT);
  });
});
