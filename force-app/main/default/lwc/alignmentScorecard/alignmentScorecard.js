import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { gql, graphql } from 'lightning/graphql';
import { reduceErrors } from 'c/ldsUtils';

/**
 * The two-sided alignment scorecard for the Closed Loop home page. Lightning Data Service cannot run
 * reports or read custom metadata, so the figures come from Scorecard_Snapshot__c records that
 * `closed-loop scorecard --write` computes from the linked reports (one record per commitment); this
 * component reads them with the UI API GraphQL wire adapter. Each actual links to its report.
 */
const QUERY = gql`
  query alignmentScorecard {
    uiapi {
      query {
        Scorecard_Snapshot__c(first: 100, orderBy: { Side__c: { order: ASC }, Name: { order: ASC } }) {
          edges {
            node {
              Id
              Name {
                value
              }
              Commitment__c {
                value
              }
              Side__c {
                value
              }
              Metric__c {
                value
              }
              Unit__c {
                value
              }
              Comparison__c {
                value
              }
              Target__c {
                value
              }
              Actual__c {
                value
              }
              Result__c {
                value
              }
              Period_Label__c {
                value
              }
              Trend__c {
                value
              }
              Report_Name__c {
                value
              }
              Report_Id__c {
                value
              }
              Description__c {
                value
              }
              Computed_At__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

const SIDES = ['Marketing', 'Sales'];
const RESULT_ICONS = {
  Met: { icon: 'utility:success', variant: 'success' },
  Missed: { icon: 'utility:error', variant: 'error' },
  'No data': { icon: 'utility:dash', variant: '' }
};

export function formatFigure(value, unit) {
  if (value === null || value === undefined) return '-';
  const text = Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return unit === 'Percent' ? `${text}%` : text;
}

function parseTrend(text) {
  if (!text) return [];
  try {
    const list = JSON.parse(text);
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function reportPage(node) {
  const id = node.Report_Id__c?.value;
  return id
    ? { type: 'standard__recordPage', attributes: { recordId: id, objectApiName: 'Report', actionName: 'view' } }
    : { type: 'standard__objectPage', attributes: { objectApiName: 'Report', actionName: 'home' } };
}

export default class AlignmentScorecard extends NavigationMixin(LightningElement) {
  @api cardTitle = 'Sales & marketing alignment';

  lines = [];
  errorMessages = [];
  loaded = false;
  computedAt;

  @wire(graphql, { query: QUERY })
  wiredSnapshots({ data, errors }) {
    if (errors) {
      this.errorMessages = reduceErrors(errors);
      this.loaded = true;
      return;
    }
    if (!data) return;
    this.errorMessages = [];
    const nodes = data.uiapi.query.Scorecard_Snapshot__c.edges.map((e) => e.node);
    this.lines = nodes.map((node) => this.toLine(node));
    this.computedAt = nodes
      .map((n) => n.Computed_At__c?.value)
      .filter(Boolean)
      .sort()
      .pop();
    this.loaded = true;
    this.lines.forEach((line) => {
      this[NavigationMixin.GenerateUrl](line.pageRef).then((url) => {
        this.lines = this.lines.map((l) => (l.id === line.id ? { ...l, reportUrl: url } : l));
      });
    });
  }

  toLine(node) {
    const unit = node.Unit__c?.value;
    const result = node.Result__c?.value || 'No data';
    const comparison = node.Comparison__c?.value === 'At Most' ? 'at most' : 'at least';
    const metric = node.Metric__c?.value || node.Name?.value;
    const actual = formatFigure(node.Actual__c?.value, unit);
    const reportName = node.Report_Name__c?.value || '';
    return {
      id: node.Id,
      side: node.Side__c?.value,
      metric,
      description: node.Description__c?.value,
      period: node.Period_Label__c?.value,
      target: `${comparison} ${formatFigure(node.Target__c?.value, unit)}`,
      actual,
      result,
      resultIcon: RESULT_ICONS[result]?.icon ?? 'utility:dash',
      resultVariant: RESULT_ICONS[result]?.variant ?? '',
      resultClass: `result result-${result === 'Met' ? 'met' : result === 'Missed' ? 'missed' : 'none'}`,
      reportName,
      reportLabel: `Open the report for ${metric}: ${reportName.replace(/_/g, ' ')}`,
      reportUrl: '#',
      pageRef: reportPage(node),
      trend: parseTrend(node.Trend__c?.value).map((t, i) => ({
        key: `${node.Id}-${i}`,
        label: t.label,
        value: formatFigure(t.actual, unit),
        result: t.result || 'No data',
        icon: RESULT_ICONS[t.result || 'No data']?.icon ?? 'utility:dash',
        variant: RESULT_ICONS[t.result || 'No data']?.variant ?? ''
      })),
      hasTrend: parseTrend(node.Trend__c?.value).length > 0
    };
  }

  get sides() {
    return SIDES.map((side) => {
      const lines = this.lines.filter((l) => l.side === side);
      const met = lines.filter((l) => l.result === 'Met').length;
      return { side, heading: `${side} commitments`, summary: `${met} of ${lines.length} met`, lines };
    });
  }

  get hasError() {
    return this.errorMessages.length > 0;
  }

  get isEmpty() {
    return this.loaded && !this.hasError && this.lines.length === 0;
  }

  get isLoading() {
    return !this.loaded;
  }

  handleOpenReport(event) {
    event.preventDefault();
    const line = this.lines.find((l) => l.id === event.currentTarget.dataset.id);
    if (line) this[NavigationMixin.Navigate](line.pageRef);
  }
}
