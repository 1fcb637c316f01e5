export { copyNotaryRecords, type CopyNotaryRecordsOptions, type CopyReport, type SharedKeyToCopy } from './copy-notary-records';
export { CopyCheckError, type CopyCheck } from './copy-check';
export { NOTARY_TABLES, TABLES_NOT_COPIED, unclassifiedTables, type NotaryTable } from './notary-tables';
export { TargetNotEmptyError } from './postgres-target';
export { CopySourceError } from './sqlite-source';
