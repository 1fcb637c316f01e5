/**
 * The storage fault behind a PostgreSQL driver error, in the terms of storageFaultOf (service/store/database.ts):
 * the server unreachable or restarting (a connection refused or cut, SQLSTATE class 08, 57P01-57P03), its disk
 * full (53100), a read-only server such as a standby (25006), a write that lost a lock race (40001, 40P01).
 * Undefined for anything else: a constraint or a bug is not the server's doing. A transaction that met one of
 * these rolled back, or never committed.
 */
import type { StorageFault } from '../storage-fault';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function postgresFaultOf(error: Error): StorageFault | undefined {
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return 'unreachable';
    if (code === '53100') return 'full';
    if (code === '25006') return 'read-only';
    if (code === '40001' || code === '40P01') return 'busy';
    return undefined;
  }
  // The driver's own words when the server goes away mid-query or the pool cannot connect in time.
  if (/^Connection terminated|^timeout exceeded when trying to connect|^Client has encountered a connection error/.test(error.message)) return 'unreachable';
  return undefined;
}
