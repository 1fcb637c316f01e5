import type { Receipt } from './receipt';

/**
 * A receipt's JSON text: exactly what JSON.stringify writes for it, in the field order of docs/formats.md,
 * written piece by piece for the service's busiest answer. Every text field of a receipt that buildReceipt
 * or validateReceipt returned is already held to an alphabet that JSON never escapes (lowercase hex, CAIP
 * identifiers, ISO 8601 times, the batch id's A-Z a-z 0-9 . _ : -), so the generic escaping pass is skipped.
 * Only for such receipts: an object typed as a receipt but never checked goes through JSON.stringify.
 */
export function receiptJson(receipt: Receipt): string {
  const { batch, anchor, proof } = receipt;
  return (
    `{"version":"${receipt.version}","digest":"${receipt.digest}","leaf":"${receipt.leaf}",` +
    `"proof":[${proof.length === 0 ? '' : `"${proof.join('","')}"`}],"root":"${receipt.root}",` +
    `"batch":{"id":"${batch.id}","size":${batch.size},"leafIndex":${batch.leafIndex}},` +
    `"anchor":{"chain":"${anchor.chain}","registry":"${anchor.registry}","transactionHash":"${anchor.transactionHash}",` +
    `"blockNumber":${anchor.blockNumber},"blockTime":"${anchor.blockTime}","blockTimestamp":${anchor.blockTimestamp},"memberId":${anchor.memberId}}}`
  );
}
