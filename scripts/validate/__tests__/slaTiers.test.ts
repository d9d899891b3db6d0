import { formatFinding, validateProject } from '..';
import { P, ProjectCopy, lineAt } from './fixtures';

/**
 * `closed-loop validate` refuses the SLA tiers the sync would refuse at run time (tierProblems in
 * scripts/sla/clockTiers.ts), each as `path:line: cause` on the value it is about. The project ships the
 * package's catch-all Lead_Accept and the demo tiers Lead_Accept_Inbound (Web; Phone Inquiry, priority 1)
 * and Lead_Accept_Events (Webinar; Trade Show, priority 2).
 */
describe('closed-loop validate: SLA tiers', () => {
  let copy: ProjectCopy;
  beforeEach(() => {
    copy = new ProjectCopy();
  });
  afterEach(() => copy.remove());

  const findings = async () => (await validateProject({ root: copy.root, convert: false })).findings.map(formatFinding);
  const inbound = 'config/demo/main/default/customMetadata/SLA_Policy.Lead_Accept_Inbound.md-meta.xml';
  const events = 'config/demo/main/default/customMetadata/SLA_Policy.Lead_Accept_Events.md-meta.xml';
  /** The line of a field's <value> in a record. */
  const valueLine = (rel: string, field: string) => {
    const text = copy.read(rel);
    return lineAt(text, text.indexOf('<value', text.indexOf(`<field>${field}</field>`)));
  };
  /** Sets a field's value (a string, or a number for Priority__c) in a record, adding the field when the record has none. */
  const set = (rel: string, field: string, value: string) => {
    const type = field === 'Priority__c' ? 'double' : 'string';
    const text = copy.read(rel);
    const re = new RegExp(`(<field>${field}</field>\\s*)<value[^>]*?(?:/>|>[^<]*</value>)`);
    copy.write(
      rel,
      re.test(text)
        ? text.replace(re, `$1<value xsi:type="xsd:${type}">${value}</value>`)
        : text.replace(
            '</CustomMetadata>',
            `  <values>\n    <field>${field}</field>\n    <value xsi:type="xsd:${type}">${value}</value>\n  </values>\n</CustomMetadata>`
          )
    );
  };

  it('the shipped tiers pass', async () => {
    expect(await findings()).toEqual([]);
  });

  it('refuses two tiers of equal priority that one lead can meet', async () => {
    set(events, 'Lead_Sources__c', 'Webinar;Trade Show;Web');
    set(events, 'Priority__c', '1.0');
    expect(await findings()).toEqual([
      `${inbound}:${valueLine(inbound, 'Priority__c')}: SLA_Policy__mdt Lead_Accept_Inbound: Priority__c 1 equals Lead_Accept_Events's, and one record can meet both tiers' criteria: give one a lower number`
    ]);
  });

  it('accepts equal priorities when no lead can meet both', async () => {
    set(events, 'Priority__c', '1.0');
    expect(await findings()).toEqual([]);
  });

  it('refuses criteria naming an unknown field, an unknown picklist value or an unknown lead source', async () => {
    set(inbound, 'Criteria_Field__c', 'Segment__c');
    set(inbound, 'Criteria_Values__c', 'Enterprise');
    set(events, 'Lead_Sources__c', 'Webinar;Trade Shows');
    set(events, 'Criteria_Field__c', 'Rating');
    set(events, 'Criteria_Values__c', 'Hot;Boiling');
    expect(await findings()).toEqual([
      `${events}:${valueLine(events, 'Lead_Sources__c')}: SLA_Policy__mdt Lead_Accept_Events: Lead_Sources__c names an unknown Lead Source "Trade Shows"`,
      `${events}:${valueLine(events, 'Criteria_Values__c')}: SLA_Policy__mdt Lead_Accept_Events: Criteria_Values__c names an unknown Lead.Rating value "Boiling"`,
      `${inbound}:${valueLine(inbound, 'Criteria_Field__c')}: SLA_Policy__mdt Lead_Accept_Inbound: Criteria_Field__c names no field "Segment__c" on Lead`
    ]);
  });

  it('refuses a clock with no catch-all, and a catch-all with criteria', async () => {
    set(P.acceptPolicy, 'Lead_Sources__c', 'Other');
    expect(await findings()).toEqual([
      `${P.acceptPolicy}:${valueLine(P.acceptPolicy, 'Catch_All__c')}: SLA_Policy__mdt Lead_Accept: Catch_All__c is checked, but the policy has criteria: a catch-all applies to every record (clear Lead_Sources__c and Criteria_Field__c, or uncheck it)`
    ]);
    copy.replace(P.acceptPolicy, /(<field>Catch_All__c<\/field>\s*<value[^>]*>)true</, '$1false<');
    expect(await findings()).toEqual([
      `${P.acceptPolicy}:${valueLine(P.acceptPolicy, 'Catch_All__c')}: SLA_Policy__mdt Lead_Accept: Catch_All__c is checked on no active Accept policy: a record no tier matches would get no clock (check it on one policy without criteria)`
    ]);
  });

  it('refuses a reassignment target that does not exist, and one on an Opportunity policy', async () => {
    set(inbound, 'Reassign_To_Queue__c', 'Escalations');
    const review = 'force-app/main/default/customMetadata/SLA_Policy.Opportunity_Win_Loss_Review.md-meta.xml';
    set(review, 'Reassign_To_Queue__c', 'Escalations');
    expect(await findings()).toEqual([
      `${inbound}:${valueLine(inbound, 'Reassign_To_Queue__c')}: SLA_Policy__mdt Lead_Accept_Inbound: Reassign_To_Queue__c names no queue "Escalations" that takes leads (Setup > Queues)`,
      `${review}:${valueLine(review, 'Reassign_To_Queue__c')}: SLA_Policy__mdt Opportunity_Win_Loss_Review: Reassign_To_Queue__c is for Lead policies only`
    ]);
  });

  it('accepts a reassignment to a lead queue the project deploys', async () => {
    copy.write(
      'config/demo/main/default/queues/Escalations.queue-meta.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<Queue xmlns="http://soap.sforce.com/2006/04/metadata">
  <doesSendEmailToMembers>false</doesSendEmailToMembers>
  <name>Escalations</name>
  <queueSobject>
    <sobjectType>Lead</sobjectType>
  </queueSobject>
</Queue>
`
    );
    set(inbound, 'Reassign_To_Queue__c', 'Escalations');
    set(inbound, 'Reassign_Mode__c', 'Round Robin');
    expect(await findings()).toEqual([]);
  });

  it('refuses tiers of one clock that disagree on its statuses', async () => {
    set(events, 'Stop_Statuses__c', 'Sales Accepted;Recycled;Rejected');
    expect(await findings()).toEqual([
      `${events}:${valueLine(events, 'Stop_Statuses__c')}: SLA_Policy__mdt Lead_Accept_Events: Stop_Statuses__c differs from Lead_Accept's: tiers of one clock share what starts, stops, pauses and cancels it`
    ]);
  });
});
