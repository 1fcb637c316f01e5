/** A fault of the storage under the database, rather than of the request: the disk full or read-only, I/O failing, the file locked, the server gone. */
export type StorageFault = 'full' | 'read-only' | 'io' | 'busy' | 'unreachable';
