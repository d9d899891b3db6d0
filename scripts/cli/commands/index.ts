import type { Command } from 'commander';
import { register as registerCalendar } from './calendar';
import { register as registerLocalOrg } from './localorg';
import { register as registerOrg } from './org';
import { register as registerPreview } from './preview';
import { register as registerReport } from './report';
import { register as registerScorecard } from './scorecard';
import { register as registerSeed } from './seed';
import { register as registerSla } from './sla';
import { register as registerStart } from './start';
import { register as registerValidate } from './validate';

/**
 * Every `closed-loop` command, one module per command (or command group) in this folder. Each
 * exports `register(program)`. Add yours here: one import and one line in the list.
 */
const commands: Array<(program: Command) => void> = [
  registerLocalOrg,
  registerCalendar,
  registerValidate,
  registerOrg,
  registerSeed,
  registerSla,
  registerStart,
  registerPreview,
  registerReport,
  registerScorecard
];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
