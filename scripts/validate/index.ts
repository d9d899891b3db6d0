import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';
import { checkApps } from './checks/apps';
import { checkCustomMetadata } from './checks/customMetadata';
import { checkFields } from './checks/fields';
import { checkFlexiPages } from './checks/flexipages';
import { checkFormulas } from './checks/formulas';
import { checkLayouts } from './checks/layouts';
import { checkListViews } from './checks/listViews';
import { checkLwc } from './checks/lwc';
import { checkPackaging } from './checks/packaging';
import { checkPermissionCoverage, checkPermissionSets } from './checks/permissionSets';
import { checkDashboards, checkReports, checkReportTypes } from './checks/reports';
import { checkSlaPolicies } from './checks/slaPolicy';
import { checkXml } from './checks/xml';
import { convertPackages } from './convert';
import { Findings, type Finding } from './findings';
import { ProjectModel } from './model';
import { metadataSchema } from './schema';
import type { Check } from './types';

export { formatFinding, type Finding } from './findings';
export { ValidateError } from './model';

/**
 * The offline metadata checks of `closed-loop validate`, in order. Each adds findings; adding a
 * family of checks is one entry here.
 */
export const CHECKS: readonly Check[] = [
  { name: 'xml', run: checkXml },
  { name: 'fields', run: checkFields },
  { name: 'packaging', run: checkPackaging },
  { name: 'formulas', run: checkFormulas },
  { name: 'lwc', run: checkLwc },
  { name: 'permission sets', run: checkPermissionSets },
  { name: 'field coverage', run: checkPermissionCoverage },
  { name: 'layouts', run: checkLayouts },
  { name: 'list views', run: checkListViews },
  { name: 'flexipages', run: checkFlexiPages },
  { name: 'tabs and apps', run: checkApps },
  { name: 'custom metadata', run: checkCustomMetadata },
  { name: 'SLA policies', run: checkSlaPolicies },
  { name: 'report types', run: checkReportTypes },
  { name: 'reports', run: checkReports },
  { name: 'dashboards', run: checkDashboards }
];

export interface ValidateOptions {
  /** Project root (holds sfdx-project.json); default: this repository. */
  root?: string;
  /** Run `sf project convert source` of each package directory first (default true). */
  convert?: boolean;
}

export interface ValidationResult {
  root: string;
  packageDirectories: string[];
  /** Metadata components checked (incl. decomposed children such as fields). */
  components: number;
  xmlFiles: number;
  converted: boolean;
  /** Where the element lists came from. */
  schema: string;
  findings: Finding[];
}

/** Runs every check on the project at `root`; findings are data, only a broken setup throws. */
export async function validateProject(opts: ValidateOptions = {}): Promise<ValidationResult> {
  const root = path.resolve(opts.root ?? PROJECT_ROOT);
  const model = ProjectModel.load(root);
  const findings = new Findings(root);
  const convert = opts.convert !== false;
  if (convert) await convertPackages(root, model.packageDirs, findings);
  const schema = metadataSchema();
  const ctx = { model, schema, findings };
  for (const check of CHECKS) check.run(ctx);
  return {
    root,
    packageDirectories: model.packageDirs.map((d) => path.relative(root, d)),
    components: model.components.length,
    xmlFiles: model.xmlFiles().length,
    converted: convert,
    schema: schema.source,
    findings: findings.list()
  };
}
