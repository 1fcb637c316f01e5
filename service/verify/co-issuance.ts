/**
 * Co-issuance on the chain: a credential signed by more than one member (a Data Integrity proof set, each proof
 * verified offline by verifyCredential) names, after its issuer, each co-signer by its member key id
 * `did:web:<member>#z...`. Each co-signer's key must be registered to the member its key id names and valid when
 * the root was anchored, and that member must have been active then as an issuing or validation point. The
 * registry's one-call view answers all of it per signer (checkCredential with the co-signer's DID hash).
 */
import { keccak256, toUtf8Bytes, ZeroHash } from 'ethers';
import { resolveKeyId } from '../credentials/key-id';
import type { CoSigner } from '../credentials/parse';
import { isoSeconds, type Receipt } from '../merkle';
import { roleName, type RoleName } from '../registry';
import type { RegistryReader } from './registry-reader';

/** The roles that may co-sign a credential: the issuing point and the validation point (or commission member). */
export const CO_SIGNING_ROLES: readonly RoleName[] = ['issuing-point', 'validation-point'];

/** One signer of a co-issued credential as the chain saw it at the anchor time. */
export interface CoIssuanceSigner {
  memberDid: string;
  /** 0 when the DID is not a member. */
  memberId: number;
  role: RoleName;
  verificationMethod: string;
  keyHash: string;
  /** Why this signer does not stand, when it does not; the step it fails is named in `step`. */
  problem?: { step: 'issuer-key' | 'issuer-member'; message: string } | undefined;
}

export interface CoIssuanceFinding {
  /** Every signer, the issuer first. */
  signers: CoIssuanceSigner[];
  /** "co-issued by did:web:a (issuing point) and did:web:b (validation point)". */
  summary: string;
}

export interface CoIssuanceQuery {
  reader: RegistryReader;
  issuer: { memberDid: string; memberId: number; role: RoleName; verificationMethod: string; keyHash: string };
  coSigners: readonly CoSigner[];
  digest: string;
  receipt?: Receipt | undefined;
}

/** Checks each co-signer on the chain; the issuer's own checks stay verify-badge's. */
export async function checkCoIssuance(query: CoIssuanceQuery): Promise<CoIssuanceFinding> {
  const coSigners = await Promise.all(query.coSigners.map((signer) => checkCoSigner(query, signer)));
  const signers: CoIssuanceSigner[] = [query.issuer, ...coSigners];
  const names = signers.map((signer) => `${signer.memberDid} (${signer.role.replace('-', ' ')})`);
  return { signers, summary: `co-issued by ${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}` };
}

async function checkCoSigner(query: CoIssuanceQuery, signer: CoSigner): Promise<CoIssuanceSigner> {
  const memberDid = resolveKeyId(signer.verificationMethod).controller;
  const base = { memberDid, memberId: 0, role: 'none' as RoleName, verificationMethod: signer.verificationMethod, keyHash: signer.keyHash };
  if (!memberDid.startsWith('did:web:')) {
    return { ...base, problem: { step: 'issuer-key', message: `co-signer key ${signer.verificationMethod} is not a member key id (did:web:<member>#z...)` } };
  }
  if (memberDid === query.issuer.memberDid) {
    return { ...base, problem: { step: 'issuer-member', message: `co-signer ${memberDid} is the issuer itself: co-issuance needs a second member` } };
  }
  const check = await query.reader.checkCredential({
    issuerDidHash: keccak256(toUtf8Bytes(memberDid)),
    keyHash: signer.keyHash,
    digest: query.digest,
    proof: query.receipt?.proof ?? [],
    root: query.receipt?.root ?? ZeroHash,
  });
  const memberId = Number(check.issuerId);
  const role = roleName(check.issuerRole);
  const found = { ...base, memberId, role };
  const anchorTime = check.anchoredAt ? isoSeconds(Number(check.anchoredAt)) : undefined;
  if (memberId === 0) return { ...found, problem: { step: 'issuer-member', message: `co-signer ${memberDid} is not a member of the network` } };
  if (!check.keyRegistered) {
    return { ...found, problem: { step: 'issuer-key', message: `co-signer key ${signer.keyHash} is not registered to member ${memberId} (${memberDid})` } };
  }
  if (!CO_SIGNING_ROLES.includes(role)) {
    return { ...found, problem: { step: 'issuer-member', message: `co-signer member ${memberId} is a ${role}, which does not co-sign badges` } };
  }
  if (!check.rootAnchored) return found;
  if (!check.keyValidAtAnchor) {
    return { ...found, problem: { step: 'issuer-key', message: `co-signer key ${signer.keyHash} of member ${memberId} was not valid at ${anchorTime}, when the root was anchored` } };
  }
  if (!check.issuerActiveAtAnchor) {
    return { ...found, problem: { step: 'issuer-member', message: `co-signer member ${memberId} was not active at ${anchorTime}, when the root was anchored` } };
  }
  return found;
}
