/**
 * The demo-data generator: one deterministic plan (`buildSeedPlan`, pure; `streamSeedPlan` gives it in batches of
 * leads) and one loader (`loadSeedPlan`, `loadSeedStream`) with a local and an org mode. `closed-loop seed --local`, `npm start`
 * and `closed-loop org seed` all go through these.
 */
export { buildSeedPlan, SeedOptionsError, streamSeedPlan } from './plan';
export {
  loadSeedPlan,
  loadSeedStream,
  LOCAL_RESET_ORDER,
  SeedLoadError,
  type LeadConverter,
  type LeadConvertRequest,
  type LeadConvertResult,
  type LoadOptions,
  type LoadResult,
  type SeedMode,
  type SeedProgress
} from './loader';
export { runSeed, seedOrg, type OrgSeedOptions, type SeedRunOptions, type SeedSummary } from './run';
export { seedNow } from './time';
export {
  DEFAULT_BATCH_LEADS,
  DEFAULT_DAYS,
  DEFAULT_LEADS,
  DEFAULT_SEED,
  DEMO_EMAIL_TLD,
  MAX_LOCAL_LEADS,
  SEED_OBJECTS,
  SHARED_OBJECTS,
  type SeedObject,
  type SeedBatch,
  type SeedOptions,
  type SeedPlan,
  type SeedPlanStream,
  type SeedRecord,
  type SeedValue
} from './types';
