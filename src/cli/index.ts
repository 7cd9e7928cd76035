/**
 * The `binku` command. This file only registers commands; each lives in
 * commands/<verb>.ts and calls one module function. Command modules are loaded
 * lazily: a run loads only the module of the command it names (loading all of
 * them costs seconds of start-up), help loads them all.
 */
import { Command } from 'commander';
import { fail } from './context.ts';

type Register = (program: Command) => void;

/** Top-level verb → the module that registers it. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  demo: async () => (await import('./commands/demo.ts')).registerDemo,
  import: async () => (await import('./commands/import.ts')).registerImport,
  merge: async () => (await import('./commands/merge.ts')).registerMerge,
  report: async () => (await import('./commands/report.ts')).registerReport,
  export: async () => (await import('./commands/export.ts')).registerExport,
  evaluate: async () => (await import('./commands/evaluate.ts')).registerEvaluate,
  rules: async () => (await import('./commands/rules.ts')).registerRules,
  standards: async () => (await import('./commands/rules.ts')).registerRules,
  whatif: async () => (await import('./commands/whatif.ts')).registerWhatif,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  user: async () => (await import('./commands/user.ts')).registerUser,
  audit: async () => (await import('./commands/audit.ts')).registerAudit,
  pseudonymize: async () => (await import('./commands/pseudonymize.ts')).registerPseudonymize,
};

/** Builds the program with the commands needed for `argv` (all when unknown or help). */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('binku')
    .description('并库：防止返贫监测与低收入人口动态监测的并库比对与协同工作')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own help/version exits are fine; usage errors exit 2.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
      process.exit(2);
    });
  const verb = argv[2];
  const wanted = verb && COMMANDS[verb] ? [COMMANDS[verb]] : Object.values(COMMANDS);
  const registered = new Set<Register>();
  for (const load of wanted) {
    const register = await load();
    if (registered.has(register)) continue; // rules.ts registers both `rules` and `standards`
    registered.add(register);
    register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (e) {
    fail(e);
  }
}
