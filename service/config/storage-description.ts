import { relative } from 'node:path';
import { redactUrls } from '../errors';
import type { ServiceConfig } from './config';

/**
 * Where the notary keeps its records, for the start banner: the SQLite file, or the PostgreSQL server and
 * database (never its password or other parameters) with this process's chain-mirror cache.
 */
export function storageDescription(config: Pick<ServiceConfig, 'databasePath' | 'postgres'>, cwd = process.cwd()): string {
  const file = relative(cwd, config.databasePath) || config.databasePath;
  if (!config.postgres) return file;
  const database = decodeURIComponent(new URL(config.postgres.url).pathname.slice(1));
  return `PostgreSQL ${redactUrls(config.postgres.url)}${database ? `, database ${database}` : ''}; chain mirror cached in ${file}`;
}
