/**
 * The demo-data generator: one deterministic plan (`buildSeedPlan`, pure) and one loader
 * (`loadSeedPlan`, jsforce REST) with a local and an org mode. `closed-loop seed --local`, `npm start`
 * and `closed-loop org seed` all go through these.
 */
export { buildSeedPlan, SeedOptionsError } from './plan';
export {
  loadSeedPlan,
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
  DEFAULT_DAYS,
  DEFAULT_LEADS,
  DEFAULT_SEED,
  DEMO_EMAIL_TLD,
  SEED_OBJECTS,
  type SeedObject,
  type SeedOptions,
  type SeedPlan,
  type SeedRecord,
  type SeedValue
} from './types';
