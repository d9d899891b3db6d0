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
              Pace__c {
                value
              }
              Expected_To_Date__c {
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
              Report_Url__c {
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
/**
 * Result__c → icon and words (text and icon, never colour alone). A period that has ended is Met or Missed;
 * one in progress is On pace or Off pace (closed-loop scorecard paces it by the business days elapsed).
 */
const RESULTS = {
  Met: { icon: 'utility:success', variant: 'success', label: 'Met', tone: 'met' },
  Missed: { icon: 'utility:error', variant: 'error', label: 'Missed', tone: 'missed' },
  'On pace': { icon: 'utility:success', variant: 'success', label: 'On pace', tone: 'met' },
  'Off pace': { icon: 'utility:warning', variant: 'warning', label: 'Behind pace', tone: 'behind' },
  'Not started': { icon: 'utility:clock', variant: '', label: 'Not started', tone: 'none' },
  'No data': { icon: 'utility:dash', variant: '', label: 'No data', tone: 'none' }
};

function resultOf(value) {
  return RESULTS[value] || RESULTS['No data'];
}

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

/**
 * Where a figure's report opens: the URL the scorecard stored for the figure's period (the report's Lightning
 * URL in an org, its page on the reports server locally), else the Report record, else the Reports tab.
 */
function reportPage(url, id) {
  if (url) return { type: 'standard__webPage', attributes: { url } };
  return id
    ? { type: 'standard__recordPage', attributes: { recordId: id, objectApiName: 'Report', actionName: 'view' } }
    : { type: 'standard__objectPage', attributes: { objectApiName: 'Report', actionName: 'home' } };
}

function hasValue(v) {
  return v !== null && v !== undefined;
}

/** "behind pace: 201 of 240 expected by today" → "Behind pace: 201 of 240 expected by today". */
function sentence(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
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
      line.trend
        .filter((t) => t.pageRef)
        .forEach((t) => {
          this[NavigationMixin.GenerateUrl](t.pageRef).then((url) => {
            const withUrl = (x) => (x.key === t.key ? { ...x, url } : x);
            this.lines = this.lines.map((l) => (l.id === line.id ? { ...l, trend: l.trend.map(withUrl) } : l));
          });
        });
    });
  }

  toLine(node) {
    const unit = node.Unit__c?.value;
    const result = node.Result__c?.value || 'No data';
    const shown = resultOf(result);
    const pace = node.Pace__c?.value;
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
      resultLabel: shown.label,
      // a volume in progress: how far along it is ("behind pace: 201 of 240 expected by today")
      paceNote: (result === 'On pace' || result === 'Off pace') && hasValue(node.Expected_To_Date__c?.value) ? sentence(pace) : '',
      resultIcon: shown.icon,
      resultVariant: shown.variant,
      resultClass: `result result-${shown.tone}`,
      onTrack: result === 'Met' || result === 'On pace',
      reportName,
      reportLabel: `Open the report for ${metric}: ${reportName.replace(/_/g, ' ')}`,
      reportUrl: '#',
      pageRef: reportPage(node.Report_Url__c?.value, node.Report_Id__c?.value),
      hasActual: hasValue(node.Actual__c?.value),
      trend: parseTrend(node.Trend__c?.value).map((t, i) => ({
        key: `${node.Id}-${i}`,
        label: t.label,
        // a period without records has no figure to open: "no data", not a link to an empty report
        value: hasValue(t.actual) ? formatFigure(t.actual, unit) : 'no data',
        hasIcon: hasValue(t.actual),
        result: resultOf(t.result).label,
        icon: resultOf(t.result).icon,
        variant: resultOf(t.result).variant,
        pageRef: t.url && hasValue(t.actual) ? reportPage(t.url) : null,
        url: null,
        linkLabel: `Open the report for ${metric}, ${t.label}`
      })),
      hasTrend: parseTrend(node.Trend__c?.value).length > 0
    };
  }

  get sides() {
    return SIDES.map((side) => {
      const lines = this.lines.filter((l) => l.side === side);
      const onTrack = lines.filter((l) => l.onTrack).length;
      const running = lines.some((l) => l.result === 'On pace' || l.result === 'Off pace');
      return {
        side,
        heading: `${side} commitments`,
        summary: `${onTrack} of ${lines.length} ${running ? 'met or on pace' : 'met'}`,
        lines
      };
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
    const { id, key } = event.currentTarget.dataset;
    const line = this.lines.find((l) => l.id === id);
    const pageRef = key ? line?.trend.find((t) => t.key === key)?.pageRef : line?.pageRef;
    if (pageRef) this[NavigationMixin.Navigate](pageRef);
  }
}
