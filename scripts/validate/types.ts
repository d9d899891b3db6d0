import type { Findings } from './findings';
import type { ProjectModel } from './model';
import type { MetadataSchema } from './schema';

/** What every check gets: the project, the metadata schema, and where to put findings. */
export interface CheckContext {
  model: ProjectModel;
  schema: MetadataSchema;
  findings: Findings;
}

/** One family of checks (XML schema, permission sets, reports...). Checks never throw on bad metadata: they add findings. */
export interface Check {
  name: string;
  run(ctx: CheckContext): void;
}
