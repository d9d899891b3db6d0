import type { Soql } from '../org/data';
import type { ResolvedColumn } from './columns';
import type { BucketDef, ReportDef } from './definitions';
import type { BooleanWords, ValueUnit } from './display';
import type { Dimension, Measure, SummaryDef } from './engine';

/** A report planned from its metadata (runner.ts compileReport), as the runner and its reading (reading.ts) use it. */

export interface SummaryInfo {
  key: string;
  label: string;
  type: 'number' | 'percent' | 'currency';
  /** What the number measures, when its field says (./display): business minutes or calendar days. */
  unit?: ValueUnit;
  /** Not a figure the org shows: computed by the CLI from the report's rows (percentiles). */
  derived?: boolean;
}

export interface DimPlan {
  dim: Dimension;
  column?: ResolvedColumn;
  /** A checkbox or 0/1 indicator grouping: the words its groups read as. */
  words?: BooleanWords;
  bucket?: { def: BucketDef; source: ResolvedColumn };
}

export interface CompiledReport {
  def: ReportDef;
  baseObject: string;
  down: DimPlan[];
  across: DimPlan[];
  details: ResolvedColumn[];
  measures: Array<Measure & { col: ResolvedColumn }>;
  summaries: SummaryDef[];
  summaryInfo: SummaryInfo[];
  filter: Soql | undefined;
  /** the report's filter with its SLA_Timer__c Status__c criterion asking for Cancelled instead (see ReportResult.excluded) */
  cancelledFilter?: Soql;
  dateColumn?: ResolvedColumn;
  sortColumn?: ResolvedColumn;
  groupBy: boolean;
  reportTypeLabel: string;
  /** The first down grouping is the SLA clock (ReportResult.perClock). */
  perClock: boolean;
  /** SLA timers' elapsed minutes counted at run time for open timers (liveTimers.ts): rows, never org aggregates */
  liveElapsed: boolean;
}
