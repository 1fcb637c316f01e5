/**
 * Intake's check of a credential issued against a badge class (issue #11, docs/catalogue.md "Issuing against a
 * class"): the class must be published in the catalogue and its document held by this notary, its publisher not
 * removed, the level in the class's scheme and the one its bands give the score, and, when the class requires
 * co-issuance, a co-signature by an active member with the class's role and a key registered to it and valid now.
 * A superseded version is still a class to issue against: old versions stay valid.
 */
import { checkClassClaims, classClaimsOf, type BadgeClassId } from '../catalogue';
import type { CoSigner } from '../credentials/parse';
import { decodeCompactJws } from '../credentials/jws';
import { vcJwtOf } from '../credentials/jwt';
import { readSignedArtifact } from '../credentials/digest';
import { resolveKeyId } from '../credentials/key-id';
import type { CredentialInput } from '../credentials/types';
import { Role, Status, parseRole, roleName } from '../registry';
import { keyProblem, type RegistryDirectory } from './directory';
import type { BadgeClassCatalogueMirror } from './ports';

/** Why a credential does not conform to its class: the field (a path in the credential), a code and a sentence. */
export interface ClassNonconformity {
  field: string;
  code: string;
  message: string;
}

export interface ClassConformanceQuery {
  input: CredentialInput;
  /** The credential's signers as its proofs name them, the issuer first (VerifyCredentialResult.signers). */
  signers: readonly CoSigner[] | undefined;
  /** The catalogue mirror; absent when this notary does not mirror the catalogue. */
  catalogue: BadgeClassCatalogueMirror | undefined;
  directory: RegistryDirectory;
  /** Unix seconds. */
  now: number;
}

/** Undefined when the credential cites no class or conforms to the one it cites. */
export async function checkClassConformance(query: ClassConformanceQuery): Promise<ClassNonconformity | undefined> {
  const claims = classClaimsOf(credentialJsonOf(query.input));
  if (!claims) return undefined;
  const { classId, classField } = claims;
  const { catalogue, directory } = query;
  if (!catalogue) {
    return { field: classField, code: 'catalogue-unavailable', message: `the credential cites badge class ${classId}, but this notary does not mirror the badge-class catalogue` };
  }
  const record = catalogue.badgeClass(classId);
  if (!record) {
    return { field: classField, code: 'class-not-published', message: `badge class ${classId} is not published in the network's catalogue` };
  }
  const document = catalogue.document(classId);
  if (!document) {
    return {
      field: classField,
      code: 'class-document-unknown',
      message: `this notary does not hold the document of badge class ${classId}: its publisher uploads it with PUT /v1/badge-classes/${classId}/document`,
    };
  }
  const publisher = await directory.member(record.publisher);
  if (!publisher || publisher.status === Status.Removed) {
    return { field: classField, code: 'class-publisher-removed', message: `badge class ${classId} was published by member ${record.publisher}, which is removed from the network` };
  }
  const level = checkClassClaims(document, claims);
  if ('problem' in level) return { field: level.problem.field, code: 'class-mismatch', message: `${level.problem.reason} (badge class ${classId})` };
  if (document.coIssuance.required) {
    return checkCoSignature(query, classId, document.coIssuance.role);
  }
  return undefined;
}

/** Some co-signer must be an active member with `role`, signing with a key registered to it and valid now. */
async function checkCoSignature(query: ClassConformanceQuery, classId: BadgeClassId, role: string): Promise<ClassNonconformity | undefined> {
  const coSigners = query.signers?.slice(1) ?? [];
  const wanted = parseRole(role) ?? Role.ValidationPoint;
  const reasons: string[] = [];
  for (const signer of coSigners) {
    const reason = await coSignerProblem(query, signer, wanted);
    if (!reason) return undefined;
    reasons.push(reason);
  }
  const found = reasons.length === 0 ? 'it carries no co-signature' : reasons.join('; ');
  return { field: 'proof', code: 'co-signature-missing', message: `badge class ${classId} requires a co-signature by a ${role}: ${found}` };
}

async function coSignerProblem(query: ClassConformanceQuery, signer: CoSigner, wanted: number): Promise<string | undefined> {
  const memberDid = resolveKeyId(signer.verificationMethod).controller;
  const member = await query.directory.memberByDid(memberDid);
  if (!member) return `co-signer ${memberDid} is not a member of the network`;
  if (member.status !== Status.Active) return `co-signer member ${member.id} (${memberDid}) is not active`;
  if (member.role !== wanted) return `co-signer member ${member.id} (${memberDid}) is a ${roleName(member.role)}, not a ${roleName(wanted)}`;
  const problem = keyProblem(await query.directory.key(signer.keyHash), member.id, query.now);
  return problem ? `co-signer key ${signer.verificationMethod}: ${problem.message}` : undefined;
}

/** The credential JSON of an input the verifier already read: the object, or a VC-JWT's credential. */
function credentialJsonOf(input: CredentialInput): unknown {
  try {
    const artifact = readSignedArtifact(input);
    return typeof artifact === 'string' ? vcJwtOf(decodeCompactJws(artifact)).credential : artifact;
  } catch {
    return undefined;
  }
}
