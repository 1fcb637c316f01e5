import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SHARED_STATUS_LIST_KEY, STATUS_LIST_KEY_FILE } from '../config/status-list-key';
import { exportIssuerKey, importIssuerKey } from '../credentials/keys';
import { NotaryError, redactUrls, sanitisedMessage } from '../errors';
import { StoreError } from '../store';
import { copyNotaryRecords, TABLES_NOT_COPIED, type SharedKeyToCopy } from '../store/copy';
import { PgDatabase } from '../store/postgres/pg-database';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';

export interface CopyToPostgresOptions {
  from: string;
  to?: string;
  statusListKey?: string;
  sample: string;
}

/**
 * `store copy-to-postgres`: the notary's records from its SQLite file into an empty PostgreSQL database, in one
 * transaction, checked before it commits (docs/store-copy.md).
 */
export async function copyToPostgres(environment: CommandEnvironment, options: CopyToPostgresOptions): Promise<void> {
  const url = options.to ?? environment.env().BADGE_NOTARY_DATABASE_URL;
  if (!url) throw new CliUsageError('name the PostgreSQL database: --to postgres://user@host:5432/database (or BADGE_NOTARY_DATABASE_URL)');
  if (!/^postgres(ql)?:\/\/[^/?#]+\/[^/?#]+/.test(url)) {
    throw new CliUsageError(
      `--to ${redactUrls(url)} is not a PostgreSQL URL: expected postgres://user@host:5432/database (a password is better given as PGPASSWORD)`,
    );
  }
  const from = resolve(options.from);
  if (!existsSync(from))
    throw new CliUsageError(`--from ${options.from}: no such file; give the notary's SQLite file (BADGE_NOTARY_DATABASE, default data/notary.sqlite)`);
  const sample = Number(options.sample);
  if (!Number.isSafeInteger(sample) || sample < 0) throw new CliUsageError(`--sample ${options.sample}: expected a whole number of credentials, 0 or more`);
  const statusListKey = readStatusListKey(from, options.statusListKey);
  const output = environment.output();
  if (!statusListKey) {
    output.warning(
      `no ${STATUS_LIST_KEY_FILE} beside ${from}: the first replica makes a new status-list key, and the lists it serves name a new issuer (docs/status-list.md)`,
    );
  }

  const target = PgDatabase.connect(url, { max: 1 });
  const started = Date.now();
  let report;
  try {
    report = await copyNotaryRecords({ source: from, target, sharedKeys: statusListKey ? [statusListKey.shared] : [], sample });
  } catch (error) {
    if (error instanceof NotaryError) throw error;
    throw new StoreError(`the copy into PostgreSQL at ${redactUrls(url)} failed, and nothing was copied: ${sanitisedMessage(error)}`, { cause: error });
  } finally {
    await target.close();
  }
  const seconds = (Date.now() - started) / 1000;
  const width = Math.max(...report.tables.map(({ table }) => table.length));
  output.result(
    [
      `copied ${from} into ${targetName(url)} in one transaction (${seconds.toFixed(1)} s):`,
      ...report.tables.map(({ table, rows }) => `  ${table.padEnd(width)}  ${rows}`),
      statusListKey ? `  status-list key ${statusListKey.did} (from ${statusListKey.file})` : '  no status-list key',
      `check: row counts equal on both sides in ${report.check.tablesCompared} tables; ${report.check.proofsVerified} credentials have the same batch, root and proof on both sides, the proof leading to the copied root`,
      "not copied: the chain mirror (each replica refills it from the chain) and what is SQLite's or PostgreSQL's own; start the replicas with BADGE_NOTARY_DATABASE_URL",
    ],
    {
      from,
      to: targetName(url),
      seconds,
      tables: Object.fromEntries(report.tables.map(({ table, rows }) => [table, rows])),
      statusListKey: statusListKey?.did ?? null,
      check: report.check,
      notCopied: TABLES_NOT_COPIED,
    },
  );
}

/** The status-list key file to share (the named one, or the data directory's beside the database), checked. */
function readStatusListKey(from: string, named: string | undefined): { shared: SharedKeyToCopy; did: string; file: string } | undefined {
  const file = named ?? join(dirname(from), STATUS_LIST_KEY_FILE);
  if (!existsSync(file)) {
    if (named !== undefined) throw new CliUsageError(`--status-list-key ${named}: no such file`);
    return undefined;
  }
  let key;
  try {
    key = importIssuerKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`${file} is not a status-list key: ${sanitisedMessage(error)}`);
  }
  return { shared: { name: SHARED_STATUS_LIST_KEY, exported: JSON.stringify(exportIssuerKey(key)) }, did: key.did, file };
}

/** The server and database copied into, never the user, password or parameters. */
function targetName(url: string): string {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  return `PostgreSQL ${redactUrls(url)}, database ${database}`;
}
