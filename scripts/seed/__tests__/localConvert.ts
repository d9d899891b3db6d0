import type { LeadConverter } from '../loader';

/**
 * What convertLead does, done over REST the way the local org allows (it has no SOAP API): an account,
 * a contact and an opportunity per lead, then the lead marked converted. Lets the `org` mode run
 * against the local org in tests; a real org uses SOAP convertLead.
 */
export const localConvertLeads: LeadConverter = async (conn, requests) => {
  const ids = requests.map((r) => `'${r.leadId}'`).join(', ');
  const leads = await conn.query<{ Id: string; Company: string; FirstName: string; LastName: string; Email: string }>(
    `SELECT Id, Company, FirstName, LastName, Email FROM Lead WHERE Id IN (${ids})`
  );
  const lead = new Map(leads.records.map((l) => [l.Id, l]));
  const create = async (sobject: string, records: Array<Record<string, unknown>>) => {
    const res = (await conn.sobject(sobject).create(records, { allOrNone: true })) as Array<{ id: string; success: boolean }>;
    if (res.some((r) => !r.success)) throw new Error(`creating ${sobject} failed`);
    return res.map((r) => r.id);
  };
  const accounts = await create(
    'Account',
    requests.map((r) => ({ Name: lead.get(r.leadId)!.Company, OwnerId: r.ownerId }))
  );
  const contacts = await create(
    'Contact',
    requests.map((r, i) => ({ ...pick(lead.get(r.leadId)!), AccountId: accounts[i], OwnerId: r.ownerId }))
  );
  const opportunities = await create(
    'Opportunity',
    requests.map((r, i) => ({
      Name: r.opportunityName,
      AccountId: accounts[i],
      StageName: 'Prospecting',
      CloseDate: '2030-01-01',
      OwnerId: r.ownerId
    }))
  );
  await conn.sobject('Lead').update(
    requests.map((r, i) => ({
      Id: r.leadId,
      Status: r.convertedStatus,
      IsConverted: true,
      ConvertedAccountId: accounts[i],
      ConvertedContactId: contacts[i],
      ConvertedOpportunityId: opportunities[i]
    })),
    { allOrNone: true }
  );
  return requests.map((r, i) => ({ leadId: r.leadId, accountId: accounts[i], contactId: contacts[i], opportunityId: opportunities[i] }));
};

function pick(l: { FirstName: string; LastName: string; Email: string }) {
  return { FirstName: l.FirstName, LastName: l.LastName, Email: l.Email };
}
