/**
 * The shapes of the lead quality reasons (./qualityReasons.ts), apart so the report result (./runner.ts) can
 * carry them without importing the code that computes them.
 */

/** Where a record opens: the org's Lightning record page, or the local preview's; null when there is nowhere. */
export type RecordUrl = (object: 'Lead', id: string) => string | null;

export interface ReasonFigure {
  reason: string;
  count: number;
  /** share of the group's leads with this disposition, in percent (the report's `% of Disposition`) */
  share: number | null;
}

export interface ExampleLead {
  /** the feedback record (the report's detail row) */
  feedbackId: string;
  leadId: string | null;
  lead: string;
  company: string | null;
  disposition: string;
  reason: string;
  rating: number | null;
  comment: string | null;
  submittedAt: string | null;
  url: string | null;
}

export interface DispositionReasons {
  /** leads with this disposition in the group */
  count: number;
  /** most frequent first (ties in the picklist's order) */
  top: ReasonFigure[];
}

export interface ReasonsGroup {
  /** the grouping's key: the lead source, or the campaign's Id (null: none) */
  key: string | null;
  label: string;
  recycle: DispositionReasons;
  reject: DispositionReasons;
  examples: ExampleLead[];
}

export interface QualityReasons {
  /** the reasons report the figures come from */
  report: string;
  label: string;
  /** what the groups are: the lead source or campaign column */
  by: { column: string; label: string };
  /** the period of the reasons report (the report result's `period`) */
  period: { name: string; column: string | null; from: string | null; to: string | null; timeZone: string };
  groups: ReasonsGroup[];
  /** every group together */
  total: { recycle: DispositionReasons; reject: DispositionReasons };
}
