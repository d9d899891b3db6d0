import { DeployOptions, DeployResult, newDeployResult, runDeploy } from './deploy';
import { makeId } from './ids';
import type { Schema } from './schema';
import type { Store } from './store';

/**
 * Metadata deploys as the org runs them: each gets an id at once and its result fills in when the
 * deploy is done (kept in memory while the org runs, and stored for later status requests). A
 * deploy that changes the schema hands the new one to `onSchema`.
 */
export class Deployments {
  private readonly live = new Map<string, DeployResult>();

  constructor(
    private readonly store: Store,
    private readonly onSchema: (schema: Schema) => void
  ) {}

  /** Starts a deploy (Metadata REST) by `userId`; returns its result, in progress. */
  start(zip: Buffer, options: DeployOptions, userId: string): DeployResult {
    const result = this.newResult(options, userId);
    result.status = 'InProgress';
    result.done = false;
    void this.finish(zip, options, result);
    return result;
  }

  /** Runs a deploy to the end (the self-deploy on first start uses this, as the endpoint does). */
  async run(zip: Buffer, options: DeployOptions, userId: string): Promise<DeployResult> {
    const result = this.newResult(options, userId);
    await this.finish(zip, options, result);
    return result;
  }

  /** A deploy's result by id, or undefined. */
  status(id: string): DeployResult | undefined {
    const live = this.live.get(id);
    if (live) return live;
    const row = this.store.get('SELECT result FROM _deploy WHERE id = ?', [id]);
    return row ? (JSON.parse(String(row.result)) as DeployResult) : undefined;
  }

  /** Whether anything was ever deployed into this database (the package is deployed on first start only). */
  hasDeployed(): boolean {
    return this.store.kvGet('selfDeployed') !== undefined || this.store.get('SELECT 1 AS x FROM _component LIMIT 1') !== undefined;
  }

  private newResult(options: DeployOptions, userId: string): DeployResult {
    const id = makeId('0Af', this.store.nextSeq('id:0Af'));
    const userName = String(this.store.get('SELECT "Name" FROM "User" WHERE "Id" = ?', [userId])?.Name ?? '');
    const result = newDeployResult(id, userId, userName, options);
    this.live.set(id, result);
    return result;
  }

  private async finish(zip: Buffer, options: DeployOptions, result: DeployResult): Promise<void> {
    try {
      const schema = await runDeploy(this.store, zip, options, result);
      if (schema) this.onSchema(schema);
    } catch (e) {
      result.status = 'Failed';
      result.done = true;
      result.success = false;
      result.errorMessage = e instanceof Error ? e.message : String(e);
      result.errorStatusCode = 'UNKNOWN_EXCEPTION';
    }
    this.store.run('INSERT OR REPLACE INTO _deploy (id, result) VALUES (?, ?)', [result.id, JSON.stringify(result)]);
  }
}
