/**
 * What reps write: short, plausible comments and lessons per reason. The plan picks from these with
 * the seeded generator, so the text is part of the deterministic data.
 */
export const FEEDBACK_COMMENTS: Record<string, string[]> = {
  'Good fit': [
    'Clear need, budget approved for this quarter.',
    'Spoke with the VP of Sales: evaluating tools now, wants a demo next week.',
    'Strong fit. Already on Salesforce and ready for a pilot.',
    'Downloaded the SLA template and asked for pricing. Good timing.',
    'Right persona and company size. Booked a discovery call.'
  ],
  'Not decision maker': [
    'Individual contributor researching for their manager; asked for an intro to the VP.',
    'Intern doing market research. Recycle to nurture until we reach the buyer.',
    'Interested, but the CRO decides and is not engaged yet.'
  ],
  'No budget': [
    'Likes the product but budget is frozen until next fiscal year.',
    'Startup, pre-funding. Revisit after their round closes.',
    'Budget went to a data warehouse project this year.'
  ],
  'No need': [
    'Small team, spreadsheets work for them today.',
    'Already built something in-house and happy with it.',
    'Only two sellers; no handoff to manage.'
  ],
  'Bad timing': [
    'Mid-reorganisation; asked us to check back next quarter.',
    'Just signed a one-year contract elsewhere. Nurture.',
    'Hiring a RevOps lead first; reach out in 60 days.'
  ],
  'Bad contact data': [
    'Phone number disconnected and e-mail bounced.',
    'Wrong company: the domain belongs to someone else.',
    'Name and e-mail do not match; could not reach anyone.'
  ],
  'Already in contact': [
    'Account is already in an active cycle with another rep.',
    'We spoke to them last week through a partner; merging.'
  ],
  Duplicate: ['Same person as an existing lead; please merge.', 'Duplicate of a lead from the webinar list.'],
  Competitor: ['Works for a competitor, downloading our content.', 'Competitor doing research; not a prospect.'],
  'Student or job seeker': ['Student writing a thesis on sales operations.', 'Job seeker; passed to recruiting.'],
  Spam: ['Form spam.', 'Bot submission; gibberish in every field.']
};

export const REVIEW_LESSONS: Record<string, string[]> = {
  Won: [
    'The SLA dashboard demo sold the VP; keep leading with it.',
    'Fast first response set the tone. The champion said we were the only vendor who called back the same day.',
    'Mutual action plan kept legal and security on schedule.',
    'Reference call with a similar customer closed the gap.'
  ],
  Lost: [
    'We engaged procurement too late and lost on price.',
    'Champion left halfway through; we never rebuilt the relationship.',
    'Competitor bundled their tool with an existing contract.',
    'Lead was not a fit from the start; discovery should have disqualified it.',
    'Implementation timeline scared them off; need a lighter onboarding offer.'
  ],
  'No Decision': [
    'They decided to keep the status quo for now.',
    'Project deprioritised after a budget review.',
    'No clear owner on their side; the deal stalled.'
  ]
};

export const COMPETITORS = ['Funnelwise', 'PipeGauge', 'LeadLedger', 'Quotient CRM', 'an in-house spreadsheet'];

export const PRODUCTS = ['Platform', 'Analytics Add-on', 'Enterprise Suite', 'Team Edition'];

export const EMAIL_SUBJECTS = [
  'Email: Following up on your request',
  'Email: Quick question about your pipeline',
  'Email: Resources from the webinar',
  'Email: Scheduling a call'
];
