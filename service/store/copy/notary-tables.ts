/**
 * Which tables a copy from SQLite to PostgreSQL carries (docs/store-copy.md), and
 * why the others stay behind. Every table of either schema is named here once: copyNotaryRecords refuses a schema
 * with a table it does not know, and test/store/notary-copy.test.ts fails when a migration adds one to both
 * schemas without deciding here whether it is the notary's own record.
 */

/** The notary's own records, in an order that inserts a row after the rows its foreign keys name. */
export const NOTARY_TABLES = [
  'chain_binding',
  'batches',
  'batch_trees',
  'credentials',
  'anchor_transactions',
  'api_clients',
  'revocation_requests',
  'used_jwts',
  'status_list_entries',
  'catalogue_documents',
] as const;

export type NotaryTable = (typeof NOTARY_TABLES)[number];

const CHAIN_MIRROR = "the chain mirror: each replica's indexer fills its own SQLite cache from the chain";

/** The tables left behind, and why. */
export const TABLES_NOT_COPIED: Record<string, string> = {
  registry_events: CHAIN_MIRROR,
  registry_blocks: CHAIN_MIRROR,
  registry_cursor: CHAIN_MIRROR,
  registry_members: CHAIN_MIRROR,
  registry_member_status: CHAIN_MIRROR,
  registry_keys: CHAIN_MIRROR,
  registry_notaries: CHAIN_MIRROR,
  registry_revokers: CHAIN_MIRROR,
  registry_anchors: CHAIN_MIRROR,
  registry_revocations: CHAIN_MIRROR,
  registry_endorsements: CHAIN_MIRROR,
  catalogue_events: CHAIN_MIRROR,
  catalogue_classes: CHAIN_MIRROR,
  catalogue_adoptions: CHAIN_MIRROR,
  catalogue_search: "SQLite's full-text index of the class documents: each replica's cache builds its own from the documents it copies",
  catalogue_document_copies: "how far a replica's cache has copied PostgreSQL's class documents: SQLite-only, and a new replica starts from the first",
  schema_migrations: "PostgreSQL's record of its migrations, written when the target is migrated",
  leases: "the anchorer's lease between processes: PostgreSQL-only, taken by the first replica that starts",
  service_keys: 'the keys the replicas share: the status-list key is copied from its file beside the SQLite database, not from a table',
};

/** The tables of a schema that are neither copied nor named as left behind: a new table whose fate nobody decided. */
export function unclassifiedTables(tables: readonly string[]): string[] {
  return tables.filter((table) => !(NOTARY_TABLES as readonly string[]).includes(table) && !(table in TABLES_NOT_COPIED)).sort();
}
