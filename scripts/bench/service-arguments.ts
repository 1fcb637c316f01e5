/** The command line of npm run bench:service: no argument (SQLite, the default), or `--store sqlite|postgres`. */

export type BenchStore = 'sqlite' | 'postgres';

export interface ServiceBenchArguments {
  store: BenchStore;
}

/** A command line the bench does not understand: the message says what was expected. */
export class BenchArgumentError extends Error {}

const STORES: readonly BenchStore[] = ['sqlite', 'postgres'];
const USAGE = 'usage: npm run bench:service [-- --store sqlite|postgres]';

/** Reads process.argv.slice(2): `--store <name>` or `--store=<name>`, nothing else. */
export function parseServiceBenchArguments(argv: readonly string[]): ServiceBenchArguments {
  let store: BenchStore = 'sqlite';
  let seen = false;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    let value: string | undefined;
    if (argument === '--store') {
      value = argv[++i];
      if (value === undefined) throw new BenchArgumentError(`--store needs a value: ${STORES.join(' or ')}\n${USAGE}`);
    } else if (argument.startsWith('--store=')) {
      value = argument.slice('--store='.length);
    } else {
      throw new BenchArgumentError(`unknown argument ${JSON.stringify(argument)}\n${USAGE}`);
    }
    if (seen) throw new BenchArgumentError(`--store given twice\n${USAGE}`);
    if (!STORES.includes(value as BenchStore)) throw new BenchArgumentError(`--store ${JSON.stringify(value)} is not a store: ${STORES.join(' or ')}\n${USAGE}`);
    store = value as BenchStore;
    seen = true;
  }
  return { store };
}
