import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatFinding, validateProject } from '..';
import { parseXmlTree, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { sfJson, spawnSf } from '../../org/sf';
import { ProjectCopy, lineAt } from './fixtures';

/**
 * What goes into a package version and what stays out: history settings of standard objects and
 * fields cannot be packaged, so they live in config/demo (deployed to the local and scratch orgs;
 * `closed-loop org setup` switches them on elsewhere). Checked on the metadata as the sf CLI
 * converts it for a deploy or a package version.
 */
describe('standard-field history settings stay out of the package', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-packaging-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  /** `sf project convert source --root-dir <dir>`: the Metadata API objects it produces, by name. */
  const convert = async (dir: string): Promise<Map<string, XmlElement>> => {
    const target = path.join(out, dir.replace(/\//g, '_'));
    await sfJson(['project', 'convert', 'source', '--root-dir', dir, '--output-dir', target], spawnSf);
    const objects = new Map<string, XmlElement>();
    const objectsDir = path.join(target, 'objects');
    for (const f of fs.existsSync(objectsDir) ? fs.readdirSync(objectsDir) : []) {
      const file = path.join(objectsDir, f);
      objects.set(f.replace(/\.object$/, ''), parseXmlTree(fs.readFileSync(file, 'utf8'), file));
    }
    return objects;
  };
  /** `Lead: enableHistory`, `Lead.Status: trackHistory` for every history setting of a standard object. */
  const historySettings = (objects: Map<string, XmlElement>): string[] => {
    const found: string[] = [];
    for (const [name, obj] of objects) {
      if (/__c$/.test(name)) continue;
      if (childText(obj, 'enableHistory') === 'true') found.push(`${name}: enableHistory`);
      for (const f of childrenNamed(obj, 'fields')) {
        if (childText(f, 'trackHistory') === 'true') found.push(`${name}.${childText(f, 'fullName')}: trackHistory`);
      }
    }
    return found.sort();
  };

  it('sf project convert source of force-app has none; of config/demo has Lead Status/Owner and Opportunity Stage', async () => {
    const pkg = await convert('force-app');
    expect(pkg.has('Lead')).toBe(true); // the package's custom fields on Lead are there
    expect(historySettings(pkg)).toEqual([]);
    expect(historySettings(await convert('config/demo'))).toEqual([
      'Lead.OwnerId: trackHistory',
      'Lead.Status: trackHistory',
      'Lead: enableHistory',
      'Opportunity.StageName: trackHistory',
      'Opportunity: enableHistory'
    ]);
  }, 120_000);

  it('closed-loop validate reports a standard-field history setting put back into force-app', async () => {
    const copy = new ProjectCopy();
    try {
      const baseline = new Set((await validateProject({ root: copy.root, convert: false })).findings.map(formatFinding));
      const status = 'force-app/main/default/objects/Lead/fields/Status.field-meta.xml';
      const lead = 'force-app/main/default/objects/Lead/Lead.object-meta.xml';
      copy.write(status, copy.read('config/demo/main/default/objects/Lead/fields/Status.field-meta.xml'));
      copy.write(lead, copy.read('config/demo/main/default/objects/Lead/Lead.object-meta.xml'));
      const line = (rel: string, needle: string) => lineAt(copy.read(rel), copy.read(rel).indexOf(needle));
      const found = (await validateProject({ root: copy.root, convert: false })).findings
        .map(formatFinding)
        .filter((f) => !baseline.has(f));
      expect(found).toEqual([
        `${lead}:${line(lead, '<enableHistory>')}: enableHistory on the standard object Lead cannot be packaged (force-app is a package directory): keep it in a non-packaged directory such as config/demo`,
        `${status}:${line(status, '<trackHistory>')}: history tracking of the standard field Lead.Status cannot be packaged (force-app is a package directory): keep the setting in a non-packaged directory such as config/demo`
      ]);
    } finally {
      copy.remove();
    }
  });
});
