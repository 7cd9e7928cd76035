/**
 * The `binku` command. This file only registers commands; each lives in
 * commands/<verb>.ts and calls one module function.
 */
import { Command } from 'commander';
import { fail } from './context.ts';
import { registerDemo } from './commands/demo.ts';
import { registerImport } from './commands/import.ts';
import { registerMerge } from './commands/merge.ts';
import { registerReport } from './commands/report.ts';
import { registerExport } from './commands/export.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerRules } from './commands/rules.ts';
import { registerWhatif } from './commands/whatif.ts';
import { registerServe } from './commands/serve.ts';
import { registerUser } from './commands/user.ts';
import { registerAudit } from './commands/audit.ts';
import { registerPseudonymize } from './commands/pseudonymize.ts';

export function buildProgram(): Command {
  const program = new Command('binku')
    .description('并库：防止返贫监测与低收入人口动态监测的并库比对与协同工作')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own help/version exits are fine; usage errors exit 2.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
      process.exit(2);
    });
  registerDemo(program);
  registerImport(program);
  registerMerge(program);
  registerReport(program);
  registerExport(program);
  registerEvaluate(program);
  registerRules(program);
  registerWhatif(program);
  registerServe(program);
  registerUser(program);
  registerAudit(program);
  registerPseudonymize(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    fail(e);
  }
}
