/**
 * The JSON shapes of the API's resources (docs/api.md). Each has its zod schema in ./schemas, from which the OpenAPI
 * document's schemas are generated; test/http/response-schemas.test.ts checks every function here against it.
 */
import { ENDORSEMENT_KINDS, keyValidAt, roleName, statusName, type Endorsement, type Member, type SigningKey } from '../registry';
import type { ApiClient, AnchorTransaction, Batch, RevocationRequest } from '../store';
import { revocationReasonText } from '../verify';
import type { CredentialStatus } from '../notary';

const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());
const isoMs = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const revocationTextOf = revocationReasonText;

export function batchJson(batch: Batch) {
  return {
    id: batch.id,
    root: batch.root,
    size: batch.size,
    state: batch.state,
    sealedAt: isoMs(batch.sealedAt),
    stateChangedAt: isoMs(batch.stateChangedAt),
    transactionHash: batch.txHash,
    blockNumber: batch.blockNumber,
    blockHash: batch.blockHash,
    anchoredAt: iso(batch.anchoredAt),
    anchoredBy: batch.anchoredBy,
    attempts: batch.attempts,
    lastError: batch.lastError,
  };
}

export function anchorTransactionJson(transaction: AnchorTransaction) {
  return { transactionHash: transaction.txHash, nonce: transaction.nonce, sentAt: isoMs(transaction.sentAt), outcome: transaction.outcome };
}

export function clientJson(client: ApiClient) {
  return {
    id: client.id,
    memberId: client.memberId,
    role: client.role,
    label: client.label,
    createdAt: isoMs(client.createdAt),
    createdBy: client.createdBy,
    revokedAt: isoMs(client.revokedAt),
  };
}

export function revocationRequestJson(request: RevocationRequest) {
  return {
    id: request.id,
    memberId: request.memberId,
    digests: request.digests,
    reason: request.reason,
    reasonText: revocationReasonText(request.reason),
    state: request.state,
    transactionHash: request.txHash,
    blockNumber: request.blockNumber,
    requestedAt: isoMs(request.requestedAt),
    requestedBy: request.requestedBy,
    error: request.error,
  };
}

export function memberJson(member: Member) {
  return {
    id: member.id,
    did: member.did,
    controller: member.controller,
    role: roleName(member.role),
    status: statusName(member.status),
    statusSince: iso(member.statusSince),
    metadataURI: member.metadataURI,
    metadataHash: member.metadataHash,
  };
}

/** A key, with whether it can sign now (unix seconds). */
export function keyJson(key: SigningKey, now: number) {
  const validNow = keyValidAt(key, key.memberId, now).valid;
  return {
    keyHash: key.keyHash,
    validFrom: iso(key.validFrom),
    validUntil: key.validUntil === 0 ? null : iso(key.validUntil),
    revoked: key.revoked,
    compromisedAt: key.revoked ? iso(key.compromisedAt) : null,
    validNow,
  };
}

export function endorsementJson(endorsement: Endorsement) {
  const kind = ENDORSEMENT_KINDS[endorsement.kind] ?? `kind-${endorsement.kind}`;
  return {
    endorser: endorsement.endorser,
    kind,
    subject: endorsement.subject,
    ...(kind === 'member' ? { subjectMember: Number(BigInt(endorsement.subject)) } : {}),
    claimURI: endorsement.claimURI,
    since: iso(endorsement.since),
  };
}

/** A credential's status: its state, its batch once it has one, its receipt once anchored. */
export function statusJson(status: CredentialStatus) {
  const batch =
    'batch' in status
      ? {
          id: status.batch.id,
          root: status.batch.root,
          size: status.batch.size,
          leafIndex: status.batch.leafIndex,
          state: status.batch.state,
          sealedAt: isoMs(status.batch.sealedAt),
          transactionHash: status.batch.txHash,
          blockNumber: status.batch.blockNumber,
          lastError: status.batch.lastError,
        }
      : null;
  return {
    digest: status.digest,
    state: status.state,
    receivedAt: isoMs(status.receivedAt),
    batch,
    ...('receipt' in status ? { receipt: status.receipt } : {}),
  };
}
