import { formatFinding, validateProject } from '..';
import { P, ProjectCopy, lineAt } from './fixtures';

/**
 * `closed-loop validate` refuses what the SLA sync would refuse at run time: two active policies for one
 * clock and object (the sync's own rule, activePolicies in scripts/sla/clockPolicy.ts).
 */
describe('closed-loop validate: one catch-all SLA policy per clock and object', () => {
  let copy: ProjectCopy;
  beforeEach(() => {
    copy = new ProjectCopy();
  });
  afterEach(() => copy.remove());

  const findings = async () => (await validateProject({ root: copy.root, convert: false })).findings.map(formatFinding);
  const second = 'force-app/main/default/customMetadata/SLA_Policy.Lead_Accept_Fast.md-meta.xml';
  /** The line of Active__c's value. */
  const activeLine = (rel: string) => {
    const text = copy.read(rel);
    return lineAt(text, text.indexOf('<value', text.indexOf('<field>Active__c</field>')));
  };

  it('reports a second active Accept policy on Lead, on its Active__c, in the sync’s words', async () => {
    copy.write(second, copy.read(P.acceptPolicy).replace('<label>Lead Accept</label>', '<label>Lead Accept Fast</label>'));
    expect(await findings()).toEqual([
      `${second}:${activeLine(second)}: SLA_Policy__mdt Lead_Accept_Fast: Active__c conflicts with Lead_Accept: only one catch-all policy per clock (Accept)`
    ]);
  });

  it('accepts the second policy once it is inactive', async () => {
    copy.write(
      second,
      copy
        .read(P.acceptPolicy)
        .replace('<label>Lead Accept</label>', '<label>Lead Accept Fast</label>')
        .replace(/(<field>Active__c<\/field>\s*<value[^>]*>)true</, '$1false<')
    );
    expect(await findings()).toEqual([]);
  });
});
