import { Command, CommanderError, Option } from 'commander';
import { CliContext, type CommonOptions } from './cli-context.js';
import type { CliIO } from './cli-io.js';
import { println } from './cli-io.js';
import { CliArgsError } from './cli-errors.js';
import { listCommand } from './commands/list.js';
import { cancelCommand } from './commands/cancel.js';
import { savepointCommand } from './commands/savepoint.js';
import { stopCommand } from './commands/stop.js';
import { runCommand } from './commands/run.js';
import { infoCommand } from './commands/info.js';

export const VERSION = '0.1.0';
const ACTIONS = ['run', 'list', 'info', 'savepoint', 'stop', 'cancel'];

/**
 * The `flink` command line. The only place that turns errors into messages and
 * exit codes: 0 on success, 1 on any error, the error as one sentence on stderr
 * (with the stack only under -v/--verbose).
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    println(io.stderr, 'Please specify an action.');
    println(io.stderr, usage());
    return 1;
  }
  if (first === '-v' || first === '--version') {
    println(io.stdout, `Version: ${VERSION} (tsflink)`);
    return 0;
  }
  if (first === '-h' || first === '--help') {
    println(io.stdout, usage());
    return 0;
  }
  if (!ACTIONS.includes(first)) {
    println(io.stderr, `"${first}" is not a valid action.`);
    println(io.stderr, `Valid actions are "run", "list", "info", "savepoint", "stop", or "cancel".`);
    println(io.stderr, 'Specify the version option (-v or --version) to print the tsflink version.');
    println(io.stderr, 'Specify the help option (-h or --help) to get help on the command.');
    return 1;
  }

  let ctx: CliContext | undefined;
  const verbose = argv.includes('--verbose') || argv.slice(1).includes('-v');
  const context = (opts: CommonOptions): CliContext => (ctx ??= CliContext.create(io, opts));
  const program = buildProgram(io, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help
      println(io.stderr, commanderMessage(e));
      println(io.stderr, `Use "flink ${first} -h" for the options of this action.`);
      return 1;
    }
    const err = e as Error;
    println(io.stderr, err instanceof CliArgsError ? err.message : `${err.message}`);
    if (verbose && err.stack && !(err instanceof CliArgsError)) println(io.stderr, err.stack);
    return 1;
  } finally {
    ctx?.close();
  }
}

function buildProgram(io: CliIO, context: (opts: CommonOptions) => CliContext): Command {
  const program = new Command('flink')
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: () => { /* errors are reported once, by runCli */ },
    });

  const common = (cmd: Command): Command => cmd
    .exitOverride()
    .addOption(new Option('-m, --jobmanager <host:port>', 'address of the JobManager to connect to'))
    .addOption(new Option('-D <property=value>', 'override a configuration value').argParser(collect))
    .addOption(new Option('-v, --verbose', 'print stack traces of errors'));

  common(program.command('run'))
    .description('Compiles and runs a job file.')
    .argument('<jobFile>', 'the TypeScript or JavaScript job file')
    .argument('[arguments...]', 'arguments for the job\'s main')
    .passThroughOptions()
    .option('-s, --fromSavepoint <savepointPath>', 'path to a savepoint or retained checkpoint to restore the job from')
    .option('-n, --allowNonRestoredState', 'skip savepoint state that cannot be mapped to the new program')
    .option('-p, --parallelism <parallelism>', 'default parallelism of the job')
    .option('-d, --detached', 'submit the job and return without waiting for it')
    .option('--dry-run', 'check how a savepoint maps onto the job, without running it')
    .action(async (jobFile: string, args: string[], opts) => runCommand(context(opts), jobFile, args, opts));

  common(program.command('info'))
    .description('Shows the execution plan of a job file.')
    .argument('<jobFile>')
    .argument('[arguments...]')
    .passThroughOptions()
    .option('-p, --parallelism <parallelism>', 'default parallelism of the job')
    .action(async (jobFile: string, args: string[], opts) => infoCommand(context(opts), jobFile, args, opts));

  common(program.command('list'))
    .description('Lists running and scheduled jobs (all jobs with -a).')
    .option('-r, --running', 'show only running jobs')
    .option('-s, --scheduled', 'show only scheduled jobs')
    .option('-a, --all', 'show running, scheduled and terminated jobs')
    .action(async (opts) => listCommand(context(opts), opts));

  common(program.command('cancel'))
    .description('Cancels a running job (with -s: takes a savepoint first).')
    .argument('[jobId]')
    .option('-s, --withSavepoint [targetDirectory]', 'trigger a savepoint and cancel the job')
    .action(async (jobId: string | undefined, opts) => cancelCommand(context(opts), jobId, opts));

  common(program.command('stop'))
    .description('Stops a running job with a savepoint.')
    .argument('[jobId]')
    .option('-p, --savepointPath [savepointPath]', 'target directory for the savepoint')
    .option('-d, --drain', 'emit the end-of-time watermark before taking the savepoint')
    .action(async (jobId: string | undefined, opts) => stopCommand(context(opts), jobId, opts));

  common(program.command('savepoint'))
    .description('Triggers, disposes or inspects savepoints.')
    .argument('[args...]', '<jobId> [targetDirectory]')
    .option('-d, --dispose <savepointPath>', 'path of the savepoint to dispose')
    .option('--inspect <path>', 'print what a savepoint or checkpoint holds')
    .option('--json', 'with --inspect: print JSON')
    .action(async (args: string[], opts) => savepointCommand(context(opts), args, opts));

  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function commanderMessage(e: CommanderError): string {
  return e.message.replace(/^error: /, '').replace(/^./, (c) => c.toUpperCase()).replace(/([^.])$/, '$1.');
}

function usage(): string {
  return [
    './flink <ACTION> [OPTIONS] [ARGUMENTS]',
    '',
    'The following actions are available:',
    '',
    'Action "run" compiles and runs a program.',
    '  run [-s <savepointPath>] [-n] [-p <parallelism>] [-d] [--dry-run] <jobFile> [arguments]',
    'Action "info" shows the optimized execution plan of the program (JSON-free, readable).',
    '  info [-p <parallelism>] <jobFile> [arguments]',
    'Action "list" lists running and scheduled programs.',
    '  list [-r|-s|-a]',
    'Action "stop" stops a running program with a savepoint (streaming jobs only).',
    '  stop [-p [<savepointPath>]] [-d|--drain] <jobId>',
    'Action "cancel" cancels a running program.',
    '  cancel [-s [<targetDirectory>]] <jobId>',
    'Action "savepoint" triggers savepoints for a running job or disposes existing ones.',
    '  savepoint <jobId> [<targetDirectory>]   |   savepoint -d <savepointPath>   |   savepoint --inspect <path> [--json]',
    '',
    'Options for every action: -m <host:port> (JobManager address), -D <key=value> (configuration), -v/--verbose.',
  ].join('\n');
}
