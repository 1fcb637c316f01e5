import type { ChainContext } from './chain-context';
import type { CliIo, Output } from './output';

/** What a command needs from the program around it, opened only when the command asks. */
export interface CommandEnvironment {
  chain(): ChainContext;
  output(): Output;
  io(): CliIo;
  /** The environment variables the command line was started with. */
  env(): NodeJS.ProcessEnv;
}
