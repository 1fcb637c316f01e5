import { keccak256, toUtf8Bytes, ZeroHash } from 'ethers';
import {
  verifyCredential,
  type CredentialStep,
  type StepStatus,
  type VerifyCredentialParameters,
  type VerifyCredentialResult,
} from '../credentials/verify';
import type { JsonObject } from '../credentials/types';
import {
  RECEIPT_ENVELOPE_TYPE,
  caip2,
  checkReceipt,
  extractReceiptFromCredential,
  extractReceiptFromEnvelope,
  isReceiptEntry,
  isoSeconds,
  withoutReceiptEntries,
  type Receipt,
} from '../merkle';
import { keyValidAt, roleName, statusName } from '../registry';
import type { AnchorLanding, CredentialCheck, RegistryReader } from './registry-reader';
import { checkCoIssuance } from './co-issuance';
import { revocationReasonText } from './revocation-reasons';
import { checkStatusList, revocationEntryOf, type StatusListSource } from './status-list-check';
import { sanitisedMessage } from '../errors';
import { classClaimsOf } from '../catalogue';
import type { CatalogueReader, ClassDocumentSource } from './catalogue-reader';
import { judgeClass, readClassFacts, requiredCoSignersOf, type ClassFacts } from './class-check';
import { ReportBuilder, STEP_NAMES, type StepName, type VerificationReport, type VerificationStep } from './report-builder';

export { STEP_NAMES, type StepName, type VerificationStep };
export type { StepStatus };

export type { VerificationReport };

export interface VerifyBadgeParameters {
  /**
   * The badge: a compact JWS, a JSON credential (which may carry its receipt in its proof set), or a receipt
   * envelope { type, credential, receipt } around a JWT; as text, bytes or parsed JSON.
   */
  credential: unknown;
  /** The receipt, when it travels apart from the credential; it wins over one carried inside. */
  receipt?: unknown;
  /** The chain and registry to check against. */
  reader: RegistryReader;
  /** The clock: validity dates are judged against it. */
  now: Date;
  /** Blocks the anchor must have (the block that holds it counts as one). Default 1. */
  minConfirmations?: number;
  maxClockSkew?: number;
  /**
   * The offline check of the credential (format, signature with its JSON-LD canonicalisation, schema, dates).
   * Default verifyCredential on this thread; the HTTP API passes the verifier pool's, which must return the
   * credential JSON in its result.
   */
  checkOffline?: OfflineCheck;
  /**
   * Where a credential's W3C status list comes from, and whose lists are trusted. Without it a status entry is
   * reported unchecked; the revocation step is the chain's in any case.
   */
  statusLists?: StatusListSource;
  /** Co-signers required besides the issuer (a class requiring co-issuance: 1; fewer fail the signature step). Default 0. */
  requiredCoSigners?: number;
  /**
   * The badge-class catalogue (service/chain's JsonRpcCatalogueReader). A credential citing a class without it gets
   * a badge-class step that says it could not be checked.
   */
  catalogue?: CatalogueReader;
  /** Where class documents come from (the notary's copies, or their URIs over http(s)). */
  classDocuments?: ClassDocumentSource;
  /** The class document, given by the caller: it wins over the source (and is checked against the class id too). */
  classDocument?: unknown;
}

/** The offline credential check verifyBadge runs: verifyCredential, here or on another thread. */
export type OfflineCheck = (parameters: VerifyCredentialParameters) => Promise<VerifyCredentialResult>;

/**
 * Verifies a badge against the chain, step by step: format and schema, issuer signature, key registered for
 * the issuing member and valid when the root was anchored, member active with an issuing role then, digest ->
 * leaf -> proof -> root anchored with enough confirmations, not revoked, validity dates. It never throws: a
 * failure of any kind is a failed step with its reason.
 *
 * @example
 * const report = await verifyBadge({ credential: text, reader: new JsonRpcRegistryReader(provider, registry), now: new Date() })
 * for (const step of report.steps) console.log(step.status, step.name, step.message)
 */
export async function verifyBadge(parameters: VerifyBadgeParameters): Promise<VerificationReport> {
  const report = new ReportBuilder(parameters.now);
  try {
    await runSteps(parameters, report);
  } catch (error) {
    report.failRemaining(`verification stopped unexpectedly: ${sanitisedMessage(error)}`);
  }
  return report.finish();
}

async function runSteps(parameters: VerifyBadgeParameters, report: ReportBuilder): Promise<void> {
  const unwrapped = unwrap(parameters.credential, parameters.receipt);
  const checkOffline = parameters.checkOffline ?? verifyCredential;
  const offline = await checkOffline({ credential: unwrapped.credential as never, now: parameters.now, maxClockSkew: parameters.maxClockSkew });
  const format = check(offline, 'format');
  const schema = check(offline, 'schema');
  if (format?.status !== 'passed' || !offline.digest || !offline.keyHash || !offline.issuerDid) {
    report.step('format', 'failed', format?.message ?? offline.error?.shortMessage ?? 'the credential could not be read');
    report.skipRemaining('the credential could not be read');
    return;
  }
  if (offline.warnings?.length) report.warnings = offline.warnings;
  report.credential = {
    format: offline.format!,
    digest: offline.digest,
    issuerDid: offline.issuerDid,
    verificationMethod: offline.verificationMethod!,
    keyHash: offline.keyHash,
    document: offline.credential!,
  };
  report.step('format', schema?.status === 'failed' ? 'failed' : 'passed', `${format.message}; ${schema?.message ?? ''}`.trim());
  const signature = check(offline, 'signature');
  const didKey = check(offline, 'issuer-key');
  if (signature?.status !== 'passed') report.step('signature', 'failed', signature?.message ?? 'the signature was not checked');
  else if (didKey?.status === 'failed') report.step('signature', 'failed', didKey.message);
  else report.step('signature', 'passed', signature.message);

  const claims = classClaimsOf(offline.credential);
  const [onChain, classFacts] = await Promise.all([
    checkOnChain(parameters, unwrapped.receipt, report),
    claims && readClassFacts({ claims, catalogue: parameters.catalogue, documents: parameters.classDocuments, given: parameters.classDocument }),
  ]);
  await judgeChain(onChain, report);
  await judgeCoIssuance(parameters, offline, onChain, report, classFacts);
  if (classFacts) judgeBadgeClass(classFacts, report);
  await judgeStatusList(onChain.check, parameters.statusLists, parameters.now, report);
  const validity = check(offline, 'validity');
  report.step('validity', validity?.status === 'passed' ? 'passed' : 'failed', validity?.message ?? 'the dates were not checked');
}

interface ChainFacts {
  check: CredentialCheck;
  receipt?: Receipt;
  landing?: AnchorLanding;
  head: number;
  minConfirmations: number;
  reader: RegistryReader;
  /** Why the anchor step cannot pass, decided before asking the chain. */
  receiptProblem?: string;
}

/** Asks the chain once for this credential (checkCredential), plus where its anchor landed. */
async function checkOnChain(parameters: VerifyBadgeParameters, receiptInput: unknown, report: ReportBuilder): Promise<ChainFacts> {
  const credential = report.credential!;
  const { reader } = parameters;
  let receipt: Receipt | undefined;
  let receiptProblem: string | undefined;
  if (receiptInput === undefined) {
    receiptProblem = 'no receipt came with the credential: it cannot be tied to an anchor';
  } else {
    const offline = await checkReceipt(receiptInput, { digest: credential.digest as `0x${string}` });
    if (!offline.valid) receiptProblem = `the receipt does not hold: ${offline.message}`;
    else {
      receipt = offline.receipt;
      const chainId = await reader.chainId();
      const expectedChain = caip2(chainId);
      const expectedRegistry = `${expectedChain}:${reader.registry}`;
      if (receipt.anchor.chain !== expectedChain || receipt.anchor.registry.toLowerCase() !== expectedRegistry.toLowerCase()) {
        receiptProblem = `the receipt points at registry ${receipt.anchor.registry}, but this verifier checks ${expectedRegistry}`;
        receipt = undefined;
      }
    }
  }
  report.receipt = receipt;

  // The receipt's transaction is asked for alongside the check (one round trip less for a lone badge).
  const receiptLanding = receipt && reader.landingOfTransaction(receipt.anchor.transactionHash, receipt.root);
  receiptLanding?.catch(() => undefined);
  const [check, head] = await Promise.all([
    reader.checkCredential({
      issuerDidHash: keccak256(toUtf8Bytes(credential.issuerDid)),
      keyHash: credential.keyHash,
      digest: credential.digest,
      proof: receipt?.proof ?? [],
      root: receipt?.root ?? ZeroHash,
    }),
    reader.headBlockNumber(),
  ]);
  let landing: AnchorLanding | undefined;
  if (receipt && check.rootAnchored) {
    // The receipt's transaction, or, after a reorg re-anchored the root, wherever the chain has it now.
    landing = (await receiptLanding) ?? (await reader.findLanding(receipt.root));
  }
  return { check, receipt, landing, head, minConfirmations: parameters.minConfirmations ?? 1, reader, receiptProblem };
}

async function judgeChain(facts: ChainFacts, report: ReportBuilder): Promise<void> {
  const { check } = facts;
  const credential = report.credential!;
  const issuerId = Number(check.issuerId);
  const anchoredAt = Number(check.anchoredAt);
  const anchorTime = anchoredAt ? isoSeconds(anchoredAt) : undefined;

  // Issuer key: registered to the member named as issuer, and valid when the root was anchored.
  if (issuerId === 0) {
    report.step('issuer-key', 'failed', `the issuer ${credential.issuerDid} is not a member of the network`);
  } else if (!check.keyRegistered) {
    report.step('issuer-key', 'failed', `key ${credential.keyHash} is not registered to member ${issuerId} (${credential.issuerDid})`);
  } else if (!check.rootAnchored) {
    report.step('issuer-key', 'skipped', `key ${credential.keyHash} is registered to member ${issuerId}; its validity at anchor time needs an anchor`);
  } else if (!check.keyValidAtAnchor) {
    const why = await whyKeyInvalid(facts.reader, credential.keyHash, issuerId, anchoredAt);
    report.step('issuer-key', 'failed', `key ${credential.keyHash} of member ${issuerId} was not valid at ${anchorTime}, when the root was anchored: ${why}`);
  } else {
    report.step('issuer-key', 'passed', `key ${credential.keyHash} is registered to member ${issuerId} and was valid at ${anchorTime}, when the root was anchored`);
  }

  // Issuing member: active with an issuing role at anchor time.
  if (issuerId !== 0) {
    report.issuer = {
      memberId: issuerId,
      role: roleName(check.issuerRole),
      statusNow: statusName(check.issuerStatusNow),
      activeAtAnchor: check.issuerActiveAtAnchor,
    };
  }
  const issuer = report.issuer;
  if (issuer && issuer.statusNow !== 'active') await warnOfFormerMember(facts.reader, issuer, report);
  if (!issuer) report.step('issuer-member', 'failed', `the issuer ${credential.issuerDid} is not a member of the network`);
  else if (issuer.role !== 'issuing-point') {
    report.step('issuer-member', 'failed', `member ${issuerId} is a ${issuer.role}, which does not issue badges`);
  } else if (!check.rootAnchored) {
    report.step('issuer-member', 'skipped', `member ${issuerId} is ${issuer.statusNow} now; its status at anchor time needs an anchor`);
  } else if (!issuer.activeAtAnchor) {
    report.step('issuer-member', 'failed', `member ${issuerId} was not active at ${anchorTime}, when the root was anchored`);
  } else {
    const now = issuer.statusNow === 'active' ? '' : ` (it is ${issuer.statusNow} now; what was anchored before stays valid)`;
    report.step('issuer-member', 'passed', `member ${issuerId} was an active issuing point at ${anchorTime}${now}`);
  }

  judgeAnchor(facts, report, anchorTime);

  // Revocation by the issuing member.
  if (issuerId === 0) report.step('revocation', 'skipped', 'only a member can revoke: the issuer is not one');
  else if (check.revoked) {
    const reason = Number(check.revocationReason);
    report.revocation = { revokedAt: isoSeconds(Number(check.revokedAt)), reason, reasonText: revocationReasonText(reason) };
    report.step('revocation', 'failed', `revoked by member ${issuerId} at ${report.revocation.revokedAt}: ${report.revocation.reasonText}`);
  } else {
    report.step('revocation', 'passed', `not revoked by member ${issuerId}`);
  }
}

/** Each co-signer on the chain (co-issuance.ts); a signer that does not stand fails the step its problem names. */
async function judgeCoIssuance(
  parameters: VerifyBadgeParameters,
  offline: VerifyCredentialResult,
  facts: ChainFacts,
  report: ReportBuilder,
  classFacts: ClassFacts | undefined,
) {
  const coSigners = offline.signers?.slice(1) ?? [];
  const required = Math.max(parameters.requiredCoSigners ?? 0, classFacts ? requiredCoSignersOf(classFacts) : 0);
  if (coSigners.length < required) {
    report.step('signature', 'failed', `the credential's class requires ${required} co-signature(s) besides the issuer's; it carries ${coSigners.length}`);
  }
  if (coSigners.length === 0) return;
  const { issuerDid: memberDid, verificationMethod, keyHash, digest } = report.credential!;
  const issuer = { memberDid, memberId: report.issuer?.memberId ?? 0, role: report.issuer?.role ?? 'none', verificationMethod, keyHash };
  report.coIssuance = await checkCoIssuance({ reader: facts.reader, issuer, coSigners, digest, receipt: facts.receipt });
  for (const { problem } of report.coIssuance.signers) if (problem) report.step(problem.step, 'failed', problem.message);
  const signature = report.stepOf('signature');
  if (signature?.status === 'passed') report.step('signature', 'passed', `${signature.message}; ${report.coIssuance.summary}`);
}

/** The credential's class (class-check.ts), once the issuer and the co-signers are known. */
function judgeBadgeClass(facts: ClassFacts, report: ReportBuilder): void {
  const judgement = judgeClass(facts, report.issuer?.memberId, report.coIssuance?.signers.slice(1) ?? []);
  report.badgeClass = judgement.finding;
  report.step('badge-class', judgement.status, judgement.message);
}

/** The credential's status list beside the chain: anything but agreement is a warning; the chain decides the step. */
async function judgeStatusList(check: CredentialCheck, source: StatusListSource | undefined, now: Date, report: ReportBuilder): Promise<void> {
  const entry = revocationEntryOf(report.credential!.document);
  if (!entry) return;
  const chain = { issuerId: Number(check.issuerId), revoked: check.revoked, revokedAt: Number(check.revokedAt) };
  report.statusList = await checkStatusList(entry, chain, source, now);
  if (report.statusList.outcome !== 'agrees') report.warnings = [...(report.warnings ?? []), `status list: ${report.statusList.message}`];
}

/**
 * The trust registry's policy (docs/security.md): a badge anchored while its issuer was active stays valid unless
 * revoked, whatever became of the issuer since; the verifier says what did, and since when.
 */
async function warnOfFormerMember(reader: RegistryReader, issuer: NonNullable<VerificationReport['issuer']>, report: ReportBuilder) {
  if (issuer.statusNow !== 'suspended' && issuer.statusNow !== 'removed') return;
  issuer.statusSince = isoSeconds(await reader.memberStatusSince(issuer.memberId));
  const warning =
    `the issuer, member ${issuer.memberId}, is ${issuer.statusNow} since ${issuer.statusSince}: ` +
    'what it issued while active stays valid unless revoked, and it can issue nothing new';
  report.warnings = [...(report.warnings ?? []), warning];
}

/** Says which bound of the key's validity the anchor time fell outside of. */
async function whyKeyInvalid(reader: RegistryReader, keyHash: string, issuerId: number, anchoredAt: number): Promise<string> {
  const validity = keyValidAt(await reader.getKey(keyHash), issuerId, anchoredAt);
  if (validity.valid) return 'outside its validity window';
  switch (validity.reason) {
    case 'compromised':
      return `it was revoked as compromised from ${isoSeconds(validity.compromisedAt)}`;
    case 'not-yet-valid':
      return `it became valid only at ${isoSeconds(validity.validFrom)}`;
    case 'expired':
      return `its validity ended at ${isoSeconds(validity.validUntil)}`;
    default:
      // The chain said the key was registered to the issuer: it changed since, or the node answers unevenly.
      return 'outside its validity window';
  }
}

function judgeAnchor(facts: ChainFacts, report: ReportBuilder, anchorTime: string | undefined): void {
  const { check, receipt, landing } = facts;
  if (facts.receiptProblem || !receipt) {
    report.step('anchor', 'failed', facts.receiptProblem ?? 'no usable receipt');
    return;
  }
  report.anchor = { root: receipt.root, chain: receipt.anchor.chain, registry: receipt.anchor.registry };
  if (!check.proofValid) {
    report.step('anchor', 'failed', `the registry does not accept the proof from this credential's leaf to root ${receipt.root}`);
    return;
  }
  if (!check.rootAnchored) {
    report.step('anchor', 'failed', `root ${receipt.root} is not anchored in the registry (was its transaction dropped or reorganised away?)`);
    return;
  }
  report.anchor.anchoredAt = anchorTime;
  if (!landing) {
    report.step('anchor', 'failed', `root ${receipt.root} is anchored, but no transaction that anchored it could be found`);
    return;
  }
  const confirmations = facts.head - landing.blockNumber + 1;
  Object.assign(report.anchor, { transactionHash: landing.transactionHash, blockNumber: landing.blockNumber, confirmations });
  const moved = landing.transactionHash.toLowerCase() === receipt.anchor.transactionHash ? '' : ` (re-anchored: the receipt names ${receipt.anchor.transactionHash})`;
  if (confirmations < facts.minConfirmations) {
    report.step('anchor', 'failed', `root ${receipt.root} has ${confirmations} confirmation(s), fewer than the ${facts.minConfirmations} required`);
    return;
  }
  report.step(
    'anchor',
    'passed',
    `the proof leads to root ${receipt.root}, anchored at ${anchorTime} in block ${landing.blockNumber}${moved}, ${confirmations} confirmation(s)`,
  );
}

/** The credential and the receipt, wherever the receipt rides: apart, in an envelope, or in the proof set. */
function unwrap(input: unknown, receipt: unknown): { credential: unknown; receipt: unknown } {
  let value = input;
  if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      return { credential: input, receipt };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { credential: value, receipt };
  const object = value as Record<string, unknown>;
  if (object.type === RECEIPT_ENVELOPE_TYPE) {
    try {
      const envelope = extractReceiptFromEnvelope(object);
      return { credential: envelope.credential, receipt: receipt ?? envelope.receipt };
    } catch {
      // A damaged envelope: the credential may still be read; its receipt is judged as it is.
      return { credential: object.credential, receipt: receipt ?? object.receipt };
    }
  }
  try {
    const extracted = extractReceiptFromCredential(object);
    return { credential: extracted.credential, receipt: receipt ?? extracted.receipt };
  } catch {
    const entry = Array.isArray(object.proof) ? (object.proof as Record<string, unknown>[]).find(isReceiptEntry) : undefined;
    return { credential: withoutReceiptEntries(object as JsonObject), receipt: receipt ?? entry?.receipt };
  }
}

function check(result: VerifyCredentialResult, name: CredentialStep['name']): CredentialStep | undefined {
  return result.checks.find((c) => c.name === name);
}
