import * as path from 'node:path';
import type { ComponentSet, SourceComponent } from '@salesforce/source-deploy-retrieve';
import type { Connection } from 'jsforce';
import { API_VERSION, PROJECT_ROOT } from '../project';
import { ComponentProblem, deployFailureMessage, DeployFailedError, DeployMessage } from './deploy';

/**
 * `closed-loop org deploy --local`: the same package, deployed the way sf deploys it (source →
 * Metadata API format → zip, by @salesforce/source-deploy-retrieve), but through jsforce's Metadata
 * REST deploy (POST /services/data/vXX.X/metadata/deployRequest) and polled with checkDeployStatus
 * — the calls any org answers, so the local org is deployed to exactly as a real one would be.
 */

/** The package zip: package.xml and every component of the given package directories, in Metadata API format. */
export interface PackageZip {
  zip: Buffer;
  components: ComponentSet;
  /** `Type:FullName` of every component in the zip. */
  members: string[];
}

export async function buildPackageZip(directories: string[]): Promise<PackageZip> {
  // Loaded on use: it takes a second and a half to load, and every other command would pay for it.
  type Sdr = typeof import('@salesforce/source-deploy-retrieve');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdr = require('@salesforce/source-deploy-retrieve') as Sdr;
  const { ComponentSet, MetadataConverter } = sdr;
  // fromSource honours the project's .forceignore (no __tests__, no TypeScript).
  const components = ComponentSet.fromSource({ fsPaths: directories });
  components.apiVersion = API_VERSION;
  components.sourceApiVersion = API_VERSION;
  const converted = await new MetadataConverter().convert(components, 'metadata', { type: 'zip' });
  if (!converted.zipBuffer) throw new Error('source-deploy-retrieve produced no zip');
  // What the zip deploys: a field whose object file sits in another package directory (Lead's
  // custom fields in force-app, its history settings in config/demo) goes in with that object.
  const members = [
    ...new Set(
      [...components.getSourceComponents()].map((c) =>
        c.parent ? `${c.parent.type.name}:${c.parent.fullName}` : `${c.type.name}:${c.fullName}`
      )
    )
  ].sort();
  return { zip: converted.zipBuffer, components, members };
}

/** A DeployResult as the Metadata REST API returns it (`{ deployResult }` of GET deployRequest/<id>). */
export interface RestDeployResult {
  id: string;
  done: boolean;
  status: string;
  success: boolean;
  checkOnly?: boolean;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberComponentErrors: number;
  errorMessage?: string | null;
  errorStatusCode?: string | null;
  details?: { componentFailures?: DeployMessage | DeployMessage[]; componentSuccesses?: DeployMessage | DeployMessage[] };
}

export interface LocalDeployOptions {
  directories: string[];
  dryRun: boolean;
  /** Give up after this many milliseconds of polling. */
  timeoutMs: number;
  /** Called after each status check (for a progress bar). */
  onProgress?(deployed: number, total: number, status: string): void;
  /** Milliseconds between status checks (doubling up to 2 s). */
  pollMs?: number;
}

export interface LocalDeploySummary {
  deployId: string;
  status: string;
  dryRun: boolean;
  directories: string[];
  componentsDeployed: number;
  componentsTotal: number;
  /** `Type:FullName` of every component sent. */
  members: string[];
}

export class DeployTimeoutError extends Error {
  override readonly name = 'DeployTimeoutError';
}

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Project-relative (as admins see paths), or absolute for a directory outside the project. */
function rel(p: string): string {
  const r = path.relative(PROJECT_ROOT, p);
  return r.startsWith('..') || path.isAbsolute(r) ? p : r.split(path.sep).join('/');
}

/** The source file of a failed component: the one an admin edits to fix it. */
function sourceFileOf(components: ComponentSet, m: DeployMessage): string | undefined {
  const [objectName, child] = m.fullName.split('.');
  const candidates: SourceComponent[] = [...components.getSourceComponents()];
  const exact = candidates.find((c) => c.type.name === m.componentType && c.fullName === m.fullName);
  if (exact) {
    // An object failure that names one of its fields ("Obj__c.Field__c: ...") is fixed in that field's file.
    const field = m.componentType === 'CustomObject' ? new RegExp(`^${m.fullName}\\.(\\w+)\\b`).exec(m.problem ?? '')?.[1] : undefined;
    const kid = field ? exact.getChildren().find((k) => k.fullName === `${m.fullName}.${field}`) : undefined;
    return kid?.xml ?? exact.xml ?? exact.content;
  }
  if (child !== undefined) {
    // children (fields, list views, ...) of a decomposed object
    for (const c of candidates) {
      if (c.fullName !== objectName) continue;
      const kid = c.getChildren().find((k) => k.fullName === m.fullName);
      if (kid) return kid.xml;
      return c.xml;
    }
  }
  return undefined;
}

/** The failures of a REST deploy result, pointed at our source files. */
export function localProblems(result: RestDeployResult, components: ComponentSet): ComponentProblem[] {
  return asArray(result.details?.componentFailures).map((m) => {
    const src = sourceFileOf(components, m);
    // Line numbers refer to the Metadata API file; they are the source file's only when the type is not decomposed.
    const otherFile = src !== undefined && /^objects\//.test(m.fileName);
    return {
      path: src ? rel(src) : m.fileName,
      line: otherFile ? undefined : (m.lineNumber ?? undefined),
      column: otherFile ? undefined : (m.columnNumber ?? undefined),
      type: m.componentType,
      fullName: m.fullName,
      problem: m.problem ?? 'failed'
    };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deployToLocalOrg(conn: Connection, opts: LocalDeployOptions): Promise<LocalDeploySummary> {
  const pkg = await buildPackageZip(opts.directories);
  const started = (await conn.metadata.deployRest(pkg.zip, {
    checkOnly: opts.dryRun,
    rollbackOnError: true,
    singlePackage: true
  })) as unknown as { id: string };
  const deadline = Date.now() + opts.timeoutMs;
  let wait = opts.pollMs ?? 100;
  let result = (await conn.metadata.checkDeployStatus(started.id, true, true)) as unknown as RestDeployResult;
  while (!result.done) {
    opts.onProgress?.(result.numberComponentsDeployed, result.numberComponentsTotal, result.status);
    if (Date.now() > deadline) {
      throw new DeployTimeoutError(
        `deploy ${started.id} did not finish within ${Math.round(opts.timeoutMs / 60000)} minutes (status ${result.status})`
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 2000);
    result = (await conn.metadata.checkDeployStatus(started.id, true, true)) as unknown as RestDeployResult;
  }
  opts.onProgress?.(result.numberComponentsDeployed, result.numberComponentsTotal, result.status);
  if (!result.success || result.status !== 'Succeeded') {
    const problems = localProblems(result, pkg.components);
    throw new DeployFailedError(deployFailureMessage(problems, opts.dryRun, result.errorMessage ?? result.status), problems, result);
  }
  return {
    deployId: result.id ?? started.id,
    status: result.status,
    dryRun: opts.dryRun,
    directories: opts.directories.map(rel),
    componentsDeployed: result.numberComponentsDeployed,
    componentsTotal: result.numberComponentsTotal,
    members: pkg.members
  };
}
