import { Command, CommanderError } from 'commander';
import { NotaryError, presentError, sanitisedMessage } from '../errors';
import type { ChainContext } from './chain-context';
import { DEFAULT_DEPLOYMENT_FILE, DEFAULT_RPC_URL, rpcUrlOf, type ChainOptions } from './chain-options';
import { CliUsageError, describeChainFailure, EXIT_FAILED, EXIT_OK, EXIT_USAGE, isChainError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { defineCommands } from './command-tree';
import { Output, type CliIo } from './output';
import { ServiceRefusedError } from './service-client';

export interface CliOptions {
  io?: CliIo;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the badge-notary command line and returns its exit status: 0 done (or verified), 1 refused, failed or
 * not verified, 2 unusable input. It never calls process.exit, so tests drive it in-process.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const io = options.io ?? { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) };
  const env = options.env ?? process.env;
  let chain: ChainContext | undefined;
  let exitCode = EXIT_OK;

  const program = new Command('badge-notary')
    .description('Operate a confederated Open Badges notary network (members, keys, notaries, endorsements) and verify badges.')
    .option('--rpc-url <url>', `JSON-RPC endpoint (env BADGE_NOTARY_RPC_URL; default ${DEFAULT_RPC_URL})`)
    .option('--registry <address>', 'registry address (env BADGE_NOTARY_REGISTRY)')
    .option('--deployment <file>', `deployment record to read the registry from (env BADGE_NOTARY_DEPLOYMENT; default ${DEFAULT_DEPLOYMENT_FILE})`)
    .option('--key-file <file>', 'file holding the signing account’s 0x private key (env BADGE_NOTARY_KEY_FILE, or BADGE_NOTARY_PRIVATE_KEY)')
    .option('--json', 'print results as JSON')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });

  const environment: CommandEnvironment = {
    chain: () => (chain ??= openChainContext(program.opts<ChainOptions>(), env)),
    output: () => new Output(io, Boolean(program.opts<{ json?: boolean }>().json)),
    io: () => io,
    env: () => env,
  };
  defineCommands(program, environment, (code) => (exitCode = code));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const output = new Output(io, Boolean(program.opts<{ json?: boolean }>().json));
    return await reportFailure(error, output, rpcUrlOf(program.opts<ChainOptions>(), env), chain !== undefined);
  } finally {
    chain?.close();
  }
}

/** The chain's context, loaded (with ethers) only by the commands that use the chain. */
function openChainContext(options: ChainOptions, env: NodeJS.ProcessEnv): ChainContext {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ChainContext } = require('./chain-context') as typeof import('./chain-context');
  return new ChainContext(options, env);
}

/** `usedChain`: whether the command opened the chain, the only way it can have met a refusal of the registry. */
async function reportFailure(error: unknown, output: Output, rpcUrl: string, usedChain: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // Help and version are not failures; commander has already printed its own message otherwise.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT_OK;
    }
    return EXIT_USAGE;
  }
  if (error instanceof CliUsageError) {
    output.failure('error', presentError(error));
    return EXIT_USAGE;
  }
  if (error instanceof ServiceRefusedError) {
    output.failure('refused by the service', presentError(error), { status: error.status, ...(error.items ? { items: error.items } : {}) });
    // 400, 413 and 422 are about what was sent, and so is a 403 for a credential of another issuer; 401, the
    // other 403s and the rest are about who sent it, or the service.
    return [400, 413, 422].includes(error.status) || error.body.error?.code === 'foreign-issuer' ? EXIT_USAGE : EXIT_FAILED;
  }
  if (error instanceof NotaryError) {
    const refused = usedChain && error instanceof (await import('../chain/registry-errors')).RegistryRevertError;
    output.failure(refused ? 'refused' : 'error', presentError(error));
    return EXIT_FAILED;
  }
  if (isChainError(error)) {
    output.failure('error', presentError(describeChainFailure(error, rpcUrl)));
    return EXIT_FAILED;
  }
  output.failure('error', { code: 'unexpected', message: sanitisedMessage(error) });
  return EXIT_FAILED;
}
