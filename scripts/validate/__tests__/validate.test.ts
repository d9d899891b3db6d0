import { formatFinding, validateProject } from '..';
import { P, ProjectCopy, lineAt } from './fixtures';

/**
 * The metadata checks against a copy of the real project, broken one way at a time. Each test
 * asserts the exact `path:line: cause` lines a contributor would see, and that the break adds
 * nothing else (no cascade of follow-on findings). sf convert is skipped here; cli.test.ts runs it.
 */
describe('closed-loop validate: metadata checks', () => {
  let copy: ProjectCopy;
  /** Findings on an untouched copy: each test reports only what its break adds (the first test holds the project to none). */
  let baseline: Set<string>;
  beforeAll(async () => {
    const pristine = new ProjectCopy();
    baseline = new Set((await validateProject({ root: pristine.root, convert: false })).findings.map(formatFinding));
    pristine.remove();
  });
  beforeEach(() => {
    copy = new ProjectCopy();
  });
  afterEach(() => copy.remove());

  const findings = async () =>
    (await validateProject({ root: copy.root, convert: false })).findings.map(formatFinding).filter((f) => !baseline.has(f));
  const lineOf = (rel: string, needle: string) => {
    const text = copy.read(rel);
    const i = text.indexOf(needle);
    if (i < 0) throw new Error(`${rel} does not contain ${needle}`);
    return lineAt(text, i);
  };

  it('finds nothing wrong in the project as committed (force-app and config/demo)', async () => {
    const r = await validateProject({ convert: false });
    expect(r.findings.map(formatFinding)).toEqual([]);
    expect(r.packageDirectories).toEqual(['force-app', 'config/demo']);
    expect(r.components).toBeGreaterThan(50);
    expect(r.schema).toMatch(/^@salesforce\/types \d+\.\d+\.\d+/);
  });

  it('reports an XML element the metadata type does not allow, at its line', async () => {
    const line = copy.insertBefore(P.ratingField, '</CustomField>', '  <labl>Rating</labl>\n');
    expect(await findings()).toEqual([`${P.ratingField}:${line}: unknown element <labl> in CustomField (did you mean <label>?)`]);
  });

  it('checks nested elements, required elements and enumerated values against the schema', async () => {
    const disposition = `${P.feedbackFields}/Disposition__c.field-meta.xml`;
    copy.replace(disposition, '<default>', '<defualt>');
    copy.replace(disposition, '</default>', '</defualt>');
    copy.replace(P.ratingField, '<type>Number</type>', '<type>Numbr</type>');
    const view = `${P.timerListViews}/Breached_This_Week.listView-meta.xml`;
    copy.replace(view, /\s*<filterScope>Everything<\/filterScope>/, '');
    expect(await findings()).toEqual([
      `${disposition}:${lineOf(disposition, '<defualt>')}: unknown element <defualt> in CustomField.valueSet.valueSetDefinition.value (did you mean <default>?)`,
      `${P.ratingField}:${lineOf(P.ratingField, '<type>')}: "Numbr" is not a valid FieldType for <type> in CustomField (did you mean Number?)`,
      `${view}:${lineOf(view, '<ListView')}: ListView needs <filterScope> (required by the Metadata API)`
    ]);
  });

  it('reports XML that is not well-formed, with the line and the parser message', async () => {
    copy.replace(P.ratingField, '</label>', '</lable>');
    const text = copy.read(P.ratingField);
    const line = lineOf(P.ratingField, '<label>');
    const col = text.split('\n')[line - 1].indexOf('<label>') + 1;
    // the field still exists for everything that references it: one finding, no cascade
    expect(await findings()).toEqual([
      `${P.ratingField}:${line}: not well-formed XML: Expected closing tag 'label' (opened in line ${line}, col ${col}) instead of closing tag 'lable'.`
    ]);
  });

  it('reports a permission set that names a field that does not exist', async () => {
    const line = copy.insertBefore(
      P.repPermissionSet,
      '</PermissionSet>',
      '  <fieldPermissions>\n    <editable>false</editable>\n    <field>Lead_Quality_Feedback__c.Ratng__c</field>\n    <readable>true</readable>\n  </fieldPermissions>\n'
    );
    expect(await findings()).toEqual([
      `${P.repPermissionSet}:${line + 2}: fieldPermissions: field Lead_Quality_Feedback__c.Ratng__c does not exist (did you mean Rating__c?)`
    ]);
  });

  it('reports permissions the platform rejects: FLS on a required field, edit without read', async () => {
    const line = copy.insertBefore(
      P.repPermissionSet,
      '</PermissionSet>',
      '  <fieldPermissions>\n    <editable>false</editable>\n    <field>Lead.LastName</field>\n    <readable>true</readable>\n  </fieldPermissions>\n' +
        '  <objectPermissions>\n    <allowCreate>false</allowCreate>\n    <allowDelete>true</allowDelete>\n    <allowEdit>false</allowEdit>\n    <allowRead>true</allowRead>\n' +
        '    <modifyAllRecords>false</modifyAllRecords>\n    <object>Campaign</object>\n    <viewAllRecords>false</viewAllRecords>\n  </objectPermissions>\n'
    );
    expect(await findings()).toEqual([
      `${P.repPermissionSet}:${line + 2}: fieldPermissions cannot name Lead.LastName: it is required, so every user with object access sees it`,
      `${P.repPermissionSet}:${line + 7}: objectPermissions on Campaign: allowDelete needs allowEdit as well`
    ]);
  });

  it('reports a misspelled object in an LWC schema import', async () => {
    const line = copy.replace(
      P.feedbackJs,
      "'@salesforce/schema/Lead_Quality_Feedback__c'",
      "'@salesforce/schema/Lead_Quality_Feedbak__c'"
    );
    expect(await findings()).toEqual([
      `${P.feedbackJs}:${line}: import '@salesforce/schema/Lead_Quality_Feedbak__c': object Lead_Quality_Feedbak__c does not exist (did you mean Lead_Quality_Feedback__c?)`
    ]);
  });

  it('follows relationship paths in LWC schema imports (Lead__r.Name)', async () => {
    copy.write(
      'force-app/main/default/lwc/leadQualityFeedback/paths.js',
      "import LEAD_NAME from '@salesforce/schema/Lead_Quality_Feedback__c.Lead__r.Name';\n" +
        "import OWNER_EMAIL from '@salesforce/schema/Lead_Quality_Feedback__c.Lead__r.Owner.Email';\n" +
        "import BAD from '@salesforce/schema/Lead_Quality_Feedback__c.Lead__r.Nme';\n" +
        "import NOT_A_LOOKUP from '@salesforce/schema/Lead_Quality_Feedback__c.Rating__r.Name';\n" +
        'export default [LEAD_NAME, OWNER_EMAIL, BAD, NOT_A_LOOKUP];\n'
    );
    const file = 'force-app/main/default/lwc/leadQualityFeedback/paths.js';
    expect(await findings()).toEqual([
      `${file}:3: import '@salesforce/schema/Lead_Quality_Feedback__c.Lead__r.Nme': field Lead.Nme does not exist (did you mean Name?) (in Lead__r.Nme)`,
      `${file}:4: import '@salesforce/schema/Lead_Quality_Feedback__c.Rating__r.Name': Lead_Quality_Feedback__c has no relationship Rating__r (in Rating__r.Name)`
    ]);
  });

  it('checks field names written as strings in wire adapter configs', async () => {
    const file = 'force-app/main/default/lwc/leadQualityFeedback/history.js';
    copy.write(
      file,
      'export const HISTORY = {\n' +
        "  relatedListId: 'Lead_Quality_Feedbacks__r',\n" +
        "  fields: ['Lead_Quality_Feedback__c.Rating__c', 'Lead_Quality_Feedback__c.Ratin__c'],\n" +
        "  optionalFields: ['Lead_Quality_Feedback__c.CreatedBy.Name'],\n" +
        "  sortBy: ['-Lead_Quality_Feedback__c.Submited_At__c']\n" +
        '};\n'
    );
    expect(await findings()).toEqual([
      `${file}:2: relatedListId 'Lead_Quality_Feedbacks__r': no object has a child relationship Lead_Quality_Feedbacks__r (did you mean Lead_Quality_Feedback__r?)`,
      `${file}:3: fields 'Lead_Quality_Feedback__c.Ratin__c': field Lead_Quality_Feedback__c.Ratin__c does not exist (did you mean Rating__c?)`,
      `${file}:5: sortBy '-Lead_Quality_Feedback__c.Submited_At__c': field Lead_Quality_Feedback__c.Submited_At__c does not exist (did you mean Submitted_At__c?)`
    ]);
  });

  it('reports a default SLA policy naming an unknown clock', async () => {
    copy.replace(P.acceptPolicy, /(<field>Clock__c<\/field>\s*<value[^>]*>)Accept</, '$1Acept<');
    expect(await findings()).toEqual([
      `${P.acceptPolicy}:${lineOf(P.acceptPolicy, '>Acept<')}: SLA_Policy__mdt.Clock__c: no picklist value "Acept" (did you mean Accept?) (values: Accept, First Touch, Win/Loss Review)`
    ]);
  });

  it('reports a custom metadata record with a picklist value its field does not have', async () => {
    copy.replace(P.mqlCommitment, /(<field>Period__c<\/field>\s*<value[^>]*>)Month</, '$1Fortnight<');
    expect(await findings()).toEqual([
      `${P.mqlCommitment}:${lineOf(P.mqlCommitment, '>Fortnight<')}: Alignment_Commitment__mdt.Period__c: no picklist value "Fortnight" (values: Month, Quarter)`
    ]);
  });

  it('checks what SLA policies mean: clock object, warning percent, status values', async () => {
    copy.replace(P.acceptPolicy, /(<field>Object__c<\/field>\s*<value[^>]*>)Lead</, '$1Opportunity<');
    copy.replace(P.acceptPolicy, /(<field>Warning_Percent__c<\/field>\s*<value[^>]*>)[\d.]+</, '$1100<');
    copy.replace(P.acceptPolicy, /(<field>Start_Statuses__c<\/field>\s*<value[^>]*>)Marketing Qualified</, '$1Marketing Qualifed<');
    const lines = await findings();
    expect(lines).toEqual([
      `${P.acceptPolicy}:${lineOf(P.acceptPolicy, '>Opportunity<')}: Object__c is Opportunity, but the Accept clock runs on Lead`,
      expect.stringMatching(
        new RegExp(
          `^${escape(P.acceptPolicy)}:${lineOf(P.acceptPolicy, '>Marketing Qualifed<')}: Start_Statuses__c: "Marketing Qualifed" is not a Lead.Status value of LeadStatus \\(did you mean Marketing Qualified\\?\\) \\(values: New, Marketing Qualified, `
        )
      ),
      `${P.acceptPolicy}:${lineOf(P.acceptPolicy, '>100<')}: Warning_Percent__c must be from 1 to 99, not 100`
    ]);
  });

  it('reports a custom field that no permission set lets anyone read', async () => {
    const file = `${P.feedbackFields}/Follow_Up__c.field-meta.xml`;
    copy.write(
      file,
      '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>Follow_Up__c</fullName>\n' +
        '    <defaultValue>false</defaultValue>\n    <label>Follow up</label>\n    <type>Checkbox</type>\n</CustomField>\n'
    );
    expect(await findings()).toEqual([
      `${file}:2: Lead_Quality_Feedback__c.Follow_Up__c is not readable in any permission set (Closed_Loop_Manager, Closed_Loop_Marketing, Closed_Loop_Rep, Closed_Loop_Sync)`
    ]);
  });

  it('checks list view columns and picklist filter values, and layout fields', async () => {
    const view = `${P.timerListViews}/Breached_This_Week.listView-meta.xml`;
    copy.replace(view, '<value>Breached</value>', '<value>Breachd</value>');
    copy.replace(view, '<columns>Escalated__c</columns>', '<columns>Escalatd__c</columns>');
    copy.replace(P.feedbackLayout, '<field>Rating__c</field>', '<field>Rating_Score__c</field>');
    expect(await findings()).toEqual([
      `${P.feedbackLayout}:${lineOf(P.feedbackLayout, 'Rating_Score__c')}: layout field: field Lead_Quality_Feedback__c.Rating_Score__c does not exist`,
      `${view}:${lineOf(view, 'Escalatd__c')}: list view column Escalatd__c: field SLA_Timer__c.Escalatd__c does not exist (did you mean Escalated__c?)`,
      `${view}:${lineOf(view, 'Breachd')}: list view filter: SLA_Timer__c.Status__c has no picklist value "Breachd" (values: Running, At Risk, Paused, Met, Breached, Cancelled)`
    ]);
  });

  it('checks formulas: fields and relationships they name, ISPICKVAL values, the error field', async () => {
    const rule =
      'force-app/main/default/objects/Lead_Quality_Feedback__c/validationRules/Reason_Required_To_Recycle_Or_Reject.validationRule-meta.xml';
    copy.replace(rule, /ISPICKVAL\(Disposition__c, (['"])Recycle\1\)/, "ISPICKVAL(Disposition__c, 'Recylce')");
    copy.replace(rule, 'ISBLANK(TEXT(Reason__c))', 'ISBLANK(TEXT(Reasons__c)) &amp;&amp; ISBLANK(Lead__r.Companyy)');
    copy.replace(rule, '<errorDisplayField>Reason__c</errorDisplayField>', '<errorDisplayField>Reasn__c</errorDisplayField>');
    const formula = lineOf(rule, '<errorConditionFormula>');
    expect(await findings()).toEqual([
      `${rule}:${formula}: errorConditionFormula: Lead_Quality_Feedback__c.Disposition__c has no picklist value "Recylce" (did you mean Recycle?)`,
      `${rule}:${formula}: errorConditionFormula: field Lead.Companyy does not exist (did you mean Company?) (in Lead__r.Companyy)`,
      `${rule}:${formula}: errorConditionFormula: field Lead_Quality_Feedback__c.Reasons__c does not exist (did you mean Reason__c?)`,
      `${rule}:${lineOf(rule, 'Reasn__c')}: errorDisplayField: field Lead_Quality_Feedback__c.Reasn__c does not exist (did you mean Reason__c?)`
    ]);
  });

  it('checks Lightning pages: components, their properties and objects, and Record fields', async () => {
    const page = 'force-app/main/default/flexipages/Lead_Record_Page_Closed_Loop.flexipage-meta.xml';
    const line = copy.replace(
      page,
      '<flexiPageRegions>',
      '<flexiPageRegions>\n' +
        '    <itemInstances>\n      <componentInstance>\n        <componentInstanceProperties>\n          <name>cardTitel</name>\n          <value>Feedback</value>\n' +
        '        </componentInstanceProperties>\n        <componentName>leadQualityFeedback</componentName>\n      </componentInstance>\n    </itemInstances>\n' +
        '    <itemInstances>\n      <componentInstance>\n        <componentName>slaTimr</componentName>\n      </componentInstance>\n    </itemInstances>\n' +
        '    <itemInstances>\n      <componentInstance>\n        <componentName>c:slaTimer</componentName>\n      </componentInstance>\n    </itemInstances>\n' +
        '    <itemInstances>\n      <componentInstance>\n        <componentName>winLossReview</componentName>\n      </componentInstance>\n    </itemInstances>\n' +
        '    <itemInstances>\n      <fieldInstance>\n        <fieldItem>Record.MQL_At__x</fieldItem>\n        <identifier>RecordMQL_At_xField</identifier>\n      </fieldInstance>\n    </itemInstances>'
    );
    expect(await findings()).toEqual([
      `${page}:${line + 4}: component leadQualityFeedback has no property cardTitel for lightning__RecordPage (did you mean cardTitle?)`,
      `${page}:${line + 12}: component slaTimr is not in the project (did you mean slaTimer?)`,
      `${page}:${line + 17}: component c:slaTimer: write the project's own component bare, as slaTimer (as retrieved pages do)`,
      `${page}:${line + 22}: component winLossReview is not available for Lead (its targetConfig lists other objects)`,
      `${page}:${line + 27}: fieldItem Record.MQL_At__x: field Lead.MQL_At__x does not exist (did you mean MQL_At__c?)`
    ]);
  });

  it('checks report types, reports and dashboards generically', async () => {
    addReporting(copy);
    expect(await findings()).toEqual([]);

    copy.replace(REPORT_TYPE, '<field>Campaign__c.Name</field>', '<field>Campaign__c.Nme</field>');
    copy.replace(
      REPORT,
      '<columns>\n        <field>Lead$LeadSource</field>',
      '<columns>\n        <field>Lead.Lead_Quality_Feedback__r$Comment__c</field>'
    );
    copy.replace(REPORT, '<value>Accept,Reject</value>', '<value>Accept,Rejct</value>');
    copy.replace(REPORT, 'Lead_Quality_Feedback__c.Rating__c:AVG', 'Lead_Quality_Feedback__c.Disposition__c:AVG');
    // the report type's table path instead of the object's name, as the platform never writes it
    copy.replace(REPORT_AGAIN, 'Lead_Quality_Feedback__c.Rating__c:AVG', 'Lead.Lead_Quality_Feedback__r.Rating__c:AVG');
    copy.replace(DASHBOARD, '<report>Closed_Loop/Lead_Quality_By_Source</report>', '<report>Closed_Loop/Lead_Quality_By_Sorce</report>');
    // the second component (on the report that exists) groups by a column its report does not group by
    copy.replace(
      DASHBOARD,
      /<groupingColumn>Lead\$LeadSource(<\/groupingColumn>\s*<header>[^<]*<\/header>\s*<report>Closed_Loop\/Lead_Quality_By_Source_Again)/,
      '<groupingColumn>Lead$$Status$1'
    );
    expect(await findings()).toEqual([
      `${DASHBOARD}:${lineOf(DASHBOARD, 'Lead_Quality_By_Sorce')}: component report Closed_Loop/Lead_Quality_By_Sorce is not a report of the project (did you mean Closed_Loop/Lead_Quality_By_Source?)`,
      `${DASHBOARD}:${lineOf(DASHBOARD, '$Status')}: groupingColumn Lead$Status is not a grouping of report Closed_Loop/Lead_Quality_By_Source_Again`,
      `${REPORT_TYPE}:${lineOf(REPORT_TYPE, 'Campaign__c.Nme')}: column Lead.Lead_Quality_Feedback__r.Campaign__c.Nme: field Campaign.Nme does not exist (did you mean Name?) (in Campaign__c.Nme)`,
      `${REPORT}:${lineOf(REPORT, ':AVG')}: calculatedFormula Lead_Quality_Feedback__c.Disposition__c:AVG: AVG needs a number; Lead_Quality_Feedback__c.Disposition__c is picklist`,
      `${REPORT}:${lineOf(REPORT, '$Comment__c')}: columns: Lead.Lead_Quality_Feedback__r$Comment__c: report type Closed_Loop_Feedback does not expose Lead.Lead_Quality_Feedback__r.Comment__c`,
      `${REPORT}:${lineOf(REPORT, 'Rejct')}: filter on Lead.Lead_Quality_Feedback__r$Disposition__c: Lead_Quality_Feedback__c.Disposition__c has no picklist value "Rejct" (did you mean Reject?)`,
      `${REPORT_AGAIN}:${lineOf(REPORT_AGAIN, ':AVG')}: calculatedFormula Lead.Lead_Quality_Feedback__r.Rating__c:AVG: a summary formula names a column by its object's API name: write Lead_Quality_Feedback__c.Rating__c, not the table path Lead.Lead_Quality_Feedback__r`
    ]);
  });
  describe('the shipped reports and dashboard, broken the ways a real org rejects', () => {
    const rpt = (name: string) => `force-app/main/default/reports/Closed_Loop/${name}.report-meta.xml`;
    const DASH = 'force-app/main/default/dashboards/Closed_Loop_Dashboards/Sales_Marketing_SLA.dashboard-meta.xml';

    it('checks enumeration values against the schema: chart type, format, summary type, sort order, date granularity, component type', async () => {
      const funnel = rpt('Funnel_Conversion_And_Velocity');
      const byRep = rpt('SLA_Compliance_By_Rep');
      copy.replace(funnel, '<chartType>VerticalColumn</chartType>', '<chartType>VerticalColum</chartType>');
      copy.replace(funnel, '<format>Summary</format>', '<format>Summery</format>');
      copy.replace(byRep, /<aggregateTypes>Sum(<\/aggregateTypes>\s*<field>SLA_Timer__c\$Met_Within_SLA__c)/, '<aggregateTypes>Total$1');
      copy.replace(byRep, '<sortOrder>Asc</sortOrder>\n  <timeFrameFilter>', '<sortOrder>Ascending</sortOrder>\n  <timeFrameFilter>');
      copy.replace(byRep, '<dateGranularity>Day</dateGranularity>', '<dateGranularity>Daily</dateGranularity>');
      copy.replace(DASH, '<componentType>Donut</componentType>', '<componentType>Donught</componentType>');
      copy.replace(
        DASH,
        /(<chartSummary>\s*)<aggregate>Sum<\/aggregate>(\s*<axisBinding>y<\/axisBinding>\s*<column>Opportunity\$Amount)/,
        '$1<aggregate>Summ</aggregate>$2'
      );
      expect(await findings()).toEqual([
        `${DASH}:${lineOf(DASH, 'Summ<')}: "Summ" is not a valid ReportSummaryType for <aggregate> in Dashboard.dashboardGridLayout.dashboardGridComponents.dashboardComponent.chartSummary (did you mean Sum?)`,
        `${DASH}:${lineOf(DASH, 'Donught')}: "Donught" is not a valid DashboardComponentType for <componentType> in Dashboard.dashboardGridLayout.dashboardGridComponents.dashboardComponent (did you mean Donut?)`,
        `${funnel}:${lineOf(funnel, 'VerticalColum<')}: "VerticalColum" is not a valid ChartType for <chartType> in Report.chart (did you mean VerticalColumn?)`,
        `${funnel}:${lineOf(funnel, 'Summery')}: "Summery" is not a valid ReportFormat for <format> in Report (did you mean Summary?)`,
        `${byRep}:${lineOf(byRep, '>Total<')}: "Total" is not a valid ReportSummaryType for <aggregateTypes> in Report.columns (one of: Sum, Average, Maximum, Minimum, Unique, Median, Noop, None)`,
        `${byRep}:${lineOf(byRep, 'Daily')}: "Daily" is not a valid UserDateGranularity for <dateGranularity> in Report.groupingsDown (did you mean Day?)`,
        `${byRep}:${lineOf(byRep, 'Ascending')}: "Ascending" is not a valid SortOrder for <sortOrder> in Report (one of: Asc, Desc)`
      ]);
    });

    it('checks that a chart has the groupings its type needs, in the report order, and the measures it can carry', async () => {
      const competitor = rpt('Win_Loss_By_Competitor');
      const reasons = rpt('Rejection_And_Recycle_Reasons');
      // a stacked report chart without its second grouping
      copy.replace(competitor, /\s*<secondaryGroupingColumn>[^<]*<\/secondaryGroupingColumn>/, '');
      // the report chart and the dashboard component group by reason, then disposition; the report the other way round
      copy.replace(
        reasons,
        '<groupingColumn>Lead_Quality_Feedback__c$Disposition__c</groupingColumn>',
        '<groupingColumn>Lead_Quality_Feedback__c$Reason__c</groupingColumn>'
      );
      copy.replace(
        reasons,
        '<secondaryGroupingColumn>Lead_Quality_Feedback__c$Reason__c<',
        '<secondaryGroupingColumn>Lead_Quality_Feedback__c$Disposition__c<'
      );
      copy.replace(
        DASH,
        '<groupingColumn>Lead_Quality_Feedback__c$Disposition__c</groupingColumn>\n        <groupingColumn>Lead_Quality_Feedback__c$Reason__c</groupingColumn>',
        '<groupingColumn>Lead_Quality_Feedback__c$Reason__c</groupingColumn>\n        <groupingColumn>Lead_Quality_Feedback__c$Disposition__c</groupingColumn>'
      );
      // a stacked dashboard component with one grouping
      copy.replace(DASH, /\s*<groupingColumn>Opportunity\$IsWon<\/groupingColumn>/, '');
      // a donut with two measures, a column chart with five
      copy.replace(
        DASH,
        /(<chartSummary>)(\s*<aggregate>Sum<\/aggregate>\s*<axisBinding>y<\/axisBinding>\s*<column>Opportunity\$Amount)/,
        '$1\n          <column>RowCount</column>\n        </chartSummary>\n        <chartSummary>$2'
      );
      copy.replace(
        DASH,
        /(<column>Lead\$Reached_Won__c<\/column>\s*<\/chartSummary>)/,
        '$1\n        <chartSummary>\n          <aggregate>Sum</aggregate>\n          <column>Lead$Reached_Opportunity__c</column>\n        </chartSummary>'
      );
      const dashText = copy.read(DASH);
      const dispositionSecond = lineAt(dashText, dashText.indexOf('<groupingColumn>Lead_Quality_Feedback__c$Disposition__c'));
      const funnelColumn = lineAt(dashText, dashText.indexOf('<componentType>Column<', dashText.indexOf('Lead$Reached_Won__c')));
      expect(await findings()).toEqual([
        `${DASH}:${dispositionSecond}: groupingColumn Lead_Quality_Feedback__c$Disposition__c comes after Lead_Quality_Feedback__c$Reason__c here, but report Closed_Loop/Rejection_And_Recycle_Reasons groups by it first (Lead_Quality_Feedback__c$Disposition__c, Lead_Quality_Feedback__c$Reason__c): list a component's groupings in the report's order`,
        `${DASH}:${funnelColumn}: component type Column carries at most 4 measures; this component has 5 chartSummary`,
        `${DASH}:${lineOf(DASH, '<componentType>Donut')}: component type Donut carries at most 1 measure; this component has 2 chartSummary`,
        `${DASH}:${lineOf(DASH, '<componentType>ColumnStacked')}: component type ColumnStacked draws a series per value of a second grouping, but the component has 1 groupingColumn (add the report's next grouping, or use Column)`,
        `${reasons}:${lineOf(reasons, '<secondaryGroupingColumn>')}: chart secondaryGroupingColumn Lead_Quality_Feedback__c$Disposition__c comes before groupingColumn Lead_Quality_Feedback__c$Reason__c in the report's groupings (Lead_Quality_Feedback__c$Disposition__c, Lead_Quality_Feedback__c$Reason__c): a chart groups in the report's order`,
        `${competitor}:${lineOf(competitor, '<chartType>')}: chart type HorizontalBarStacked draws a series per value of a second grouping, but the chart has no secondaryGroupingColumn (add the report's next grouping, or use HorizontalBar)`
      ]);
    });

    it('checks chart summaries against the summaries the report computes', async () => {
      const campaign = rpt('Lead_Quality_By_Campaign');
      copy.replace(campaign, /(<chartSummaries>\s*)<aggregate>Average<\/aggregate>/, '$1<aggregate>Maximum</aggregate>');
      copy.replace(
        DASH,
        /(<chartSummary>\s*)<aggregate>Sum<\/aggregate>(\s*<axisBinding>y<\/axisBinding>\s*<column>Opportunity\$Amount)/,
        '$1$2'
      );
      const dashText = copy.read(DASH);
      const amount = lineAt(dashText, dashText.lastIndexOf('<chartSummary>', dashText.indexOf('<column>Opportunity$Amount')));
      expect(await findings()).toEqual([
        `${DASH}:${amount}: chartSummary: Opportunity$Amount needs an <aggregate>: report Closed_Loop/Marketing_Share_Of_Closed_Won_Revenue summarises it as Sum`,
        `${campaign}:${lineOf(campaign, 'Maximum')}: chartSummaries: Maximum of Lead_Quality_Feedback__c$Rating__c is not a summary of this report, which summarises it as Average`
      ]);
    });

    it('checks summary formulas: columns and grouping levels in the platform form, in the places the format takes them', async () => {
      const campaign = rpt('Lead_Quality_By_Campaign');
      const byRep = rpt('SLA_Compliance_By_Rep');
      const outcome = rpt('Win_Loss_Reasons_By_Outcome');
      const reasons = rpt('Rejection_And_Recycle_Reasons');
      // a lookup grouping named without its record name
      copy.replace(campaign, 'Lead_Quality_Feedback__c.Campaign__c.Name,', 'Lead_Quality_Feedback__c.Campaign__c,');
      copy.replace(byRep, 'SLA_Timer__c.Met_Within_SLA__c:SUM', 'SLA_Timer__c.Met_Within_SLA_c:SUM');
      copy.replace(
        byRep,
        '<developerName>Percent_Met</developerName>',
        '<developerName>Percent_Met</developerName>\n    <downGroupingContext>SLA_Timer__c$Status__c</downGroupingContext>'
      );
      // a matrix report with one level, a summary report with a level that is no grouping
      copy.replace(
        outcome,
        'PARENTGROUPVAL(RowCount, ROW_GRAND_SUMMARY, Win_Loss_Review__c.Outcome__c)',
        'PARENTGROUPVAL(RowCount, Win_Loss_Review__c.Outcome__c)'
      );
      copy.replace(
        reasons,
        'PARENTGROUPVAL(RowCount, Lead_Quality_Feedback__c.Disposition__c)',
        'PARENTGROUPVAL(RowCount, Lead_Quality_Feedback__c.Reason)'
      );
      expect(await findings()).toEqual([
        `${campaign}:${lineOf(campaign, '<calculatedFormula>')}: PARENTGROUPVAL level Lead_Quality_Feedback__c.Campaign__c: the grouping Lead_Quality_Feedback__c$Campaign__c is a lookup, which a summary formula names by its record name: Lead_Quality_Feedback__c.Campaign__c.Name`,
        `${reasons}:${lineOf(reasons, '<calculatedFormula>')}: PARENTGROUPVAL level Lead_Quality_Feedback__c.Reason is not a grouping of this report (did you mean Lead_Quality_Feedback__c.Reason__c?) (groupings: Lead_Quality_Feedback__c.Disposition__c, Lead_Quality_Feedback__c.Reason__c, GRAND_SUMMARY, ROW_GRAND_SUMMARY, COLUMN_GRAND_SUMMARY)`,
        `${byRep}:${lineOf(byRep, '<calculatedFormula>')}: calculatedFormula SLA_Timer__c.Met_Within_SLA_c:SUM: report type Closed_Loop_SLA_Timers has no column SLA_Timer__c$Met_Within_SLA_c (did you mean Met_Within_SLA__c?)`,
        `${byRep}:${lineOf(byRep, '<downGroupingContext>')}: downGroupingContext SLA_Timer__c$Status__c is not a row grouping of this report (SLA_Timer__c$Clock__c, SLA_Timer__c$Policy__c, SLA_Timer__c$Accountable_User__c, GRAND_SUMMARY)`,
        `${outcome}:${lineOf(outcome, '<calculatedFormula>')}: PARENTGROUPVAL in a Matrix report takes a row level and a column level (ROW_GRAND_SUMMARY / COLUMN_GRAND_SUMMARY for the totals), not 1`
      ]);
    });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const REPORT_TYPE = 'force-app/main/default/reportTypes/Closed_Loop_Feedback.reportType-meta.xml';
const REPORT = 'force-app/main/default/reports/Closed_Loop/Lead_Quality_By_Source.report-meta.xml';
const REPORT_AGAIN = 'force-app/main/default/reports/Closed_Loop/Lead_Quality_By_Source_Again.report-meta.xml';
const DASHBOARD = 'force-app/main/default/dashboards/Closed_Loop/Sales_Marketing_SLA.dashboard-meta.xml';

/** A small, valid report type + report + dashboard (shaped like the ones the package ships), added to the copy. */
function addReporting(copy: ProjectCopy): void {
  const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
  const col = (table: string, field: string) =>
    `        <columns>\n            <checkedByDefault>true</checkedByDefault>\n            <field>${field}</field>\n            <table>${table}</table>\n        </columns>\n`;
  const feedback = 'Lead.Lead_Quality_Feedback__r';
  copy.write(
    REPORT_TYPE,
    `<?xml version="1.0" encoding="UTF-8"?>\n<ReportType ${ns}>\n    <baseObject>Lead</baseObject>\n    <category>leads</category>\n    <deployed>true</deployed>\n` +
      `    <description>Leads with their quality feedback</description>\n    <join>\n        <outerJoin>false</outerJoin>\n        <relationship>Lead_Quality_Feedback__r</relationship>\n    </join>\n` +
      `    <label>Leads with Quality Feedback</label>\n    <sections>\n` +
      col('Lead', 'LeadSource') +
      col('Lead', 'Status') +
      col('Lead', 'CreatedDate') +
      col('Lead', 'Owner.Email') +
      `        <masterLabel>Lead</masterLabel>\n    </sections>\n    <sections>\n` +
      col(feedback, 'Rating__c') +
      col(feedback, 'Disposition__c') +
      col(feedback, 'Campaign__c.Name') +
      `        <masterLabel>Feedback</masterLabel>\n    </sections>\n</ReportType>\n`
  );
  copy.write(
    'force-app/main/default/reports/Closed_Loop.reportFolder-meta.xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<ReportFolder ${ns}>\n    <accessType>Public</accessType>\n    <name>Closed Loop</name>\n    <publicFolderAccess>ReadOnly</publicFolderAccess>\n</ReportFolder>\n`
  );
  const report = (name: string, grouping: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Report ${ns}>\n` +
    `    <aggregates>\n        <calculatedFormula>Lead_Quality_Feedback__c.Rating__c:AVG</calculatedFormula>\n        <datatype>number</datatype>\n` +
    `        <developerName>FORMULA1</developerName>\n        <isActive>true</isActive>\n        <isCrossBlock>false</isCrossBlock>\n` +
    `        <masterLabel>Average rating</masterLabel>\n        <scale>1</scale>\n    </aggregates>\n` +
    `    <columns>\n        <field>Lead$LeadSource</field>\n    </columns>\n` +
    `    <columns>\n        <aggregateTypes>Average</aggregateTypes>\n        <field>${feedback}$Rating__c</field>\n    </columns>\n` +
    `    <filter>\n        <criteriaItems>\n            <column>${feedback}$Disposition__c</column>\n            <isUnlocked>true</isUnlocked>\n            <operator>equals</operator>\n            <value>Accept,Reject</value>\n        </criteriaItems>\n    </filter>\n` +
    `    <format>Summary</format>\n` +
    `    <groupingsDown>\n        <dateGranularity>Day</dateGranularity>\n        <field>${grouping}</field>\n        <sortOrder>Asc</sortOrder>\n    </groupingsDown>\n` +
    `    <name>${name}</name>\n    <reportType>Closed_Loop_Feedback__c</reportType>\n    <scope>organization</scope>\n    <showDetails>false</showDetails>\n` +
    `    <timeFrameFilter>\n        <dateColumn>Lead$CreatedDate</dateColumn>\n        <interval>INTERVAL_CURFY</interval>\n    </timeFrameFilter>\n</Report>\n`;
  copy.write(REPORT, report('Lead quality by source', 'Lead$LeadSource'));
  copy.write(REPORT_AGAIN, report('Lead quality by source (again)', 'Lead$LeadSource'));
  copy.write(
    'force-app/main/default/dashboards/Closed_Loop.dashboardFolder-meta.xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<DashboardFolder ${ns}>\n    <accessType>Public</accessType>\n    <name>Closed Loop</name>\n    <publicFolderAccess>ReadOnly</publicFolderAccess>\n</DashboardFolder>\n`
  );
  const component = (reportName: string) =>
    `        <dashboardGridComponents>\n            <colSpan>6</colSpan>\n            <columnIndex>0</columnIndex>\n            <dashboardComponent>\n` +
    `                <autoselectColumnsFromReport>false</autoselectColumnsFromReport>\n` +
    `                <chartSummary>\n                    <aggregate>Average</aggregate>\n                    <axisBinding>y</axisBinding>\n                    <column>${feedback}$Rating__c</column>\n                </chartSummary>\n` +
    `                <componentType>Bar</componentType>\n                <groupingColumn>Lead$LeadSource</groupingColumn>\n                <header>Average rating by source</header>\n` +
    `                <report>Closed_Loop/${reportName}</report>\n            </dashboardComponent>\n            <rowIndex>0</rowIndex>\n            <rowSpan>8</rowSpan>\n        </dashboardGridComponents>\n`;
  copy.write(
    DASHBOARD,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Dashboard ${ns}>\n    <backgroundEndColor>#FFFFFF</backgroundEndColor>\n    <backgroundFadeDirection>Diagonal</backgroundFadeDirection>\n` +
      `    <backgroundStartColor>#FFFFFF</backgroundStartColor>\n    <dashboardGridLayout>\n` +
      component('Lead_Quality_By_Source') +
      component('Lead_Quality_By_Source_Again') +
      `        <numberOfColumns>12</numberOfColumns>\n        <rowHeight>36</rowHeight>\n    </dashboardGridLayout>\n` +
      `    <dashboardType>LoggedInUser</dashboardType>\n    <isGridLayout>true</isGridLayout>\n    <textColor>#000000</textColor>\n` +
      `    <title>Sales &amp; Marketing SLA</title>\n    <titleColor>#000000</titleColor>\n    <titleSize>12</titleSize>\n</Dashboard>\n`
  );
}
