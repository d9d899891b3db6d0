import type { LeadSourceProfile, SeedCampaign } from './campaigns';
import type { Rep } from './people';

/** The demo's Lead Status values (config/demo standardValueSets/LeadStatus). */
export const STATUS = {
  new: 'New',
  mql: 'Marketing Qualified',
  accepted: 'Sales Accepted',
  qualified: 'Sales Qualified',
  recycled: 'Recycled',
  rejected: 'Rejected',
  converted: 'Converted'
} as const;

export type Disposition = 'Accept' | 'Recycle' | 'Reject';

/** One change of a tracked Lead field (what LeadHistory records). */
export interface Change {
  at: number;
  by: string;
  field: 'Status' | 'Owner';
  /** a status value, or an owner's key */
  value: string;
}

export interface Feedback {
  at: number;
  by: string;
  disposition: Disposition;
  reason: string;
  rating: number;
  bant: [boolean, boolean, boolean, boolean];
}

export interface Membership {
  at: number;
  campaign: SeedCampaign;
  status: 'Sent' | 'Responded';
}

export type TouchKind = 'call' | 'email' | 'meeting' | 'auto-email' | 'open-task';
export interface Touch {
  at: number;
  owner: string;
  kind: TouchKind;
}

/** Everything that happens to one lead, decided before any record is written. */
export interface LeadStory {
  n: number;
  key: string;
  createdMs: number;
  source: LeadSourceProfile;
  /** latent quality 1–5: drives dispositions, ratings and win rates */
  quality: number;
  changes: Change[];
  feedback: Feedback[];
  memberships: Membership[];
  touches: Touch[];
  /** in-flight leads: assigned to a rep at this instant, not yet decided at `now` */
  assignedAt?: number;
  mqlAt?: number;
  acceptedAt?: number;
  convertedAt?: number;
  rep?: Rep;
  identity: 'fresh' | 'duplicate' | 'colleague' | 'spam' | 'student';
}

/** The rep's verdict on a lead. */
export type Decision = Pick<Feedback, 'disposition' | 'reason' | 'rating'>;
