import type { SeedContext } from './context';
import type { LeadStory } from './leadStory';
import { ascii } from './people';
import { DEMO_EMAIL_TLD } from './types';

/** Who a lead is: the fields its contact and account inherit on conversion. */
export interface Identity {
  FirstName: string;
  LastName: string;
  Company: string;
  Title: string;
  Email: string;
  Phone: string;
  Website: string | null;
  Industry: string | null;
  NumberOfEmployees: number | null;
  AnnualRevenue: number | null;
  City: string;
  State: string;
  Country: string;
}

const INDUSTRIES = [
  'Technology', 'Technology', 'Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Consulting',
  'Media', 'Education', 'Insurance', 'Telecommunications', 'Transportation', 'Energy'
]; // prettier-ignore

/** Who the leads are: fresh people at unique companies, plus duplicates, colleagues, spam and students. */
export class Identities {
  private readonly companies = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly made: Identity[] = [];

  constructor(private readonly ctx: SeedContext) {}

  for(s: LeadStory): Identity {
    const { r } = this.ctx;
    const rejectReasons = s.feedback.filter((f) => f.disposition === 'Reject').map((f) => f.reason);
    let id: Identity;
    if (rejectReasons.includes('Duplicate') && this.made.length > 0) {
      const of = r.pick(this.made);
      id = {
        ...of,
        Email: this.unique(`${ascii(of.FirstName).slice(0, 1)}${ascii(of.LastName)}@${domainOf(of.Email)}`),
        Phone: r.faker.phone.number({ style: 'national' })
      };
    } else if (rejectReasons.includes('Already in contact') && this.made.length > 0) {
      const of = r.pick(this.made);
      id = {
        ...this.person(of.Company, domainOf(of.Email)),
        Industry: of.Industry,
        NumberOfEmployees: of.NumberOfEmployees,
        AnnualRevenue: of.AnnualRevenue,
        City: of.City,
        State: of.State,
        Website: of.Website
      };
    } else if (s.identity === 'spam') {
      const junk = r.faker.string.alpha({ length: { min: 4, max: 9 }, casing: 'lower' });
      id = {
        ...this.person('N/A', `${junk}${DEMO_EMAIL_TLD}`),
        FirstName: junk,
        LastName: r.faker.string.alpha({ length: { min: 4, max: 9 }, casing: 'lower' }),
        Title: 'asdf',
        Website: null,
        Industry: null,
        NumberOfEmployees: null,
        AnnualRevenue: null
      };
      id.Email = this.unique(`${junk}@${junk}${DEMO_EMAIL_TLD}`);
    } else if (s.identity === 'student') {
      const school = `${r.faker.location.city()} University`;
      id = {
        ...this.person(school, `${slug(school)}.edu${DEMO_EMAIL_TLD}`),
        Title: 'Student',
        Industry: 'Education',
        NumberOfEmployees: null,
        AnnualRevenue: null
      };
    } else {
      id = this.fresh();
    }
    if (s.identity === 'fresh' && !rejectReasons.includes('Duplicate') && !rejectReasons.includes('Already in contact')) this.made.push(id);
    return id;
  }

  private fresh(): Identity {
    const { r } = this.ctx;
    let company = r.faker.company.name();
    for (let i = 0; this.companies.has(company); i++)
      company = i < 5 ? r.faker.company.name() : `${company} ${r.pick(['Group', 'Labs', 'Systems', 'Partners'])}`;
    this.companies.add(company);
    const domain = `${slug(company)}${DEMO_EMAIL_TLD}`;
    const employees = r.weighted([
      [r.int(10, 49), 25],
      [r.int(50, 249), 35],
      [r.int(250, 999), 25],
      [r.int(1000, 20000), 15]
    ] as const);
    return {
      ...this.person(company, domain),
      Website: `https://www.${domain}`,
      Industry: r.pick(INDUSTRIES),
      NumberOfEmployees: employees,
      AnnualRevenue: Math.round((employees * r.int(90, 260)) / 10) * 10000
    };
  }

  private person(company: string, domain: string): Identity {
    const { r } = this.ctx;
    const first = r.faker.person.firstName();
    const last = r.faker.person.lastName();
    return {
      FirstName: first,
      LastName: last,
      Company: company,
      Title: r.faker.person.jobTitle(),
      Email: this.unique(`${ascii(first)}.${ascii(last)}@${domain}`),
      Phone: r.faker.phone.number({ style: 'national' }),
      Website: null,
      Industry: null,
      NumberOfEmployees: null,
      AnnualRevenue: null,
      City: r.faker.location.city(),
      State: r.faker.location.state({ abbreviated: true }),
      Country: 'United States'
    };
  }

  /** The address, made unique with a number if taken, and kept within Lead.Email's 80 characters. */
  private unique(email: string): string {
    const at = email.indexOf('@');
    const domain = email.slice(at + 1);
    const local = email.slice(0, Math.min(at, 77 - domain.length));
    let out = `${local}@${domain}`;
    for (let i = 2; this.emails.has(out); i++) out = `${local}${i}@${domain}`;
    this.emails.add(out);
    return out;
  }
}

function domainOf(email: string): string {
  return email.slice(email.indexOf('@') + 1);
}

function slug(s: string): string {
  return (
    s
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'company'
  );
}
