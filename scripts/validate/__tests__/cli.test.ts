import { formatFinding, validateProject } from '..';
import { runCli } from '../../testing/cli';
import { P, ProjectCopy, lineAt } from './fixtures';

/**
 * `closed-loop validate` as `npm test` runs it (the built CLI in dist/): the real project passes,
 * including `sf project convert source`; breaking the metadata in four typical ways (an unknown element,
 * a permission on a missing field, an LWC import of a missing object, an unknown picklist value in a policy)
 * makes it exit non-zero with one `path:line: cause` line per problem and a one-line summary.
 */
describe('closed-loop validate (CLI)', () => {
  it('passes on the project as committed, including sf project convert source', async () => {
    const r = await runCli(['validate'], { timeoutMs: 120000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^Metadata OK: \d+ components, \d+ XML files in force-app, config\/demo \(npx sf project convert source passed; /
    );
    expect(r.code).toBe(0);
  }, 120000);

  describe('on a copy broken in four typical ways', () => {
    let copy: ProjectCopy;
    let expected: string[];
    /** Findings the untouched project already has (none once it is complete): the breaks must add exactly `expected`. */
    let baseline: string[];
    beforeAll(async () => {
      copy = new ProjectCopy();
      baseline = (await validateProject({ root: copy.root, convert: false })).findings.map(formatFinding);
      const element = copy.insertBefore(P.ratingField, '</CustomField>', '  <labl>Rating</labl>\n');
      const permission = copy.insertBefore(
        P.repPermissionSet,
        '</PermissionSet>',
        '  <fieldPermissions>\n    <editable>false</editable>\n    <field>Lead_Quality_Feedback__c.Ratng__c</field>\n    <readable>true</readable>\n  </fieldPermissions>\n'
      );
      const lwc = copy.replace(
        P.feedbackJs,
        "'@salesforce/schema/Lead_Quality_Feedback__c'",
        "'@salesforce/schema/Lead_Quality_Feedbak__c'"
      );
      copy.replace(P.acceptPolicy, /(<field>Clock__c<\/field>\s*<value[^>]*>)Accept</, '$1Acept<');
      const policy = copy.read(P.acceptPolicy);
      const clock = lineAt(policy, policy.indexOf('>Acept<'));
      expected = [
        `${P.acceptPolicy}:${clock}: SLA_Policy__mdt.Clock__c: no picklist value "Acept" (did you mean Accept?) (values: Accept, First Touch, Win/Loss Review)`,
        `${P.feedbackJs}:${lwc}: import '@salesforce/schema/Lead_Quality_Feedbak__c': object Lead_Quality_Feedbak__c does not exist (did you mean Lead_Quality_Feedback__c?)`,
        `${P.ratingField}:${element}: unknown element <labl> in CustomField (did you mean <label>?)`,
        `${P.repPermissionSet}:${permission + 2}: fieldPermissions: field Lead_Quality_Feedback__c.Ratng__c does not exist (did you mean Rating__c?)`
      ];
    });
    afterAll(() => copy.remove());

    it('prints each problem as path:line: cause and fails with a one-line summary', async () => {
      const r = await runCli(['validate', '--root', copy.root, '--skip-convert']);
      expect(
        r.stdout
          .trimEnd()
          .split('\n')
          .filter((l) => !baseline.includes(l))
      ).toEqual(expected);
      expect(r.stderr).toBe(`closed-loop: ${4 + baseline.length} metadata problems in force-app, config/demo (listed above)\n`);
      expect(r.code).toBe(1);
    });

    it('returns the findings as JSON with --json', async () => {
      const r = await runCli(['validate', '--root', copy.root, '--skip-convert', '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as {
        status: number;
        message: string;
        result: { findings: Array<{ file: string; line: number; cause: string }> };
      };
      expect(out.status).toBe(1);
      expect(out.message).toBe(`${4 + baseline.length} metadata problems in force-app, config/demo`);
      expect(out.result.findings.map((f) => `${f.file}:${f.line}: ${f.cause}`).filter((l) => !baseline.includes(l))).toEqual(expected);
    });
  });

  it('says in one line when --root is not an SFDX project', async () => {
    const r = await runCli(['validate', '--root', '/nonexistent/closed-loop', '--skip-convert']);
    expect(r.stderr).toBe('closed-loop: /nonexistent/closed-loop has no sfdx-project.json (is --root the project root?)\n');
    expect(r.code).toBe(1);
  });
});
