import type { Command } from 'commander';
import { register as registerCalendar } from './calendar';
import { register as registerDigest } from './digest';
import { register as registerLocalOrg } from './localorg';
import { register as registerOrg } from './org';
import { register as registerPreview } from './preview';
import { register as registerReport } from './report';
import { register as registerScorecard } from './scorecard';
import { register as registerSeed } from './seed';
import { register as registerSla } from './sla';
import { register as registerSlaWhatIf } from './slaWhatif';
import { register as registerStart } from './start';
import { register as registerValidate } from './validate';

/**
 * Every `closed-loop` command, one module per command (or command group) in this folder. Each
 * exports `register(program)`. Add yours here: one import and one line in the list
 * (the order is the order of `closed-loop --help`).
 */
const commands: Array<(program: Command) => void> = [
  // run the product
  registerStart,
  registerPreview,
  registerReport,
  registerScorecard,
  registerDigest,
  registerSla,
  registerSlaWhatIf,
  registerCalendar,
  // data and orgs
  registerSeed,
  registerLocalOrg,
  registerOrg,
  // the package itself
  registerValidate
];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
