import { buildAchievementCredentialForClass, type BadgeInput } from '../../service/credentials/builder';
import type { JsonObject } from '../../service/credentials/types';
import { achievementIdOf, badgeClassId, parseBadgeClass, type BadgeClassDocument } from '../../service/catalogue';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import certification from '../vectors/classes/certification-technical.json';

/** The certification example class (test/vectors/classes), as it is or requiring co-issuance by a validation point. */
export function certificationClass(options: { coIssued?: boolean; supersedes?: string } = {}): BadgeClassDocument {
  const document = structuredClone(certification) as Record<string, unknown>;
  if (options.coIssued) document.coIssuance = { required: true, role: 'validation-point' };
  if (options.supersedes) document.supersedes = options.supersedes;
  return parseBadgeClass(document);
}

/** The builder's input for an exam badge with `score` out of 100. */
export function examBadgeInput(issuerDid: string, score: number): BadgeInput {
  return { ...demoBadgeInput({ issuerDid }), badgeCode: 'UC-DIGITAL', skill: { kind: 'technical', area: 'Digital', competence: 'Working with computers', score } };
}

/** An unsigned credential issued against the class, as the builder makes it (which checks the level). */
export function classCredential(badgeClass: BadgeClassDocument, issuerDid: string, score: number): JsonObject {
  return buildAchievementCredentialForClass(examBadgeInput(issuerDid, score), badgeClass);
}

/** The same credential claiming another level than its score earns: what the builder refuses to make. */
export function withForgedLevel(credential: JsonObject, level: string): JsonObject {
  const forged = structuredClone(credential);
  const subject = forged.credentialSubject as JsonObject;
  const achievementId = (subject.achievement as JsonObject).id as string;
  for (const result of subject.result as JsonObject[]) {
    if (result.resultDescription === `${achievementId}#level`) result.achievedLevel = `${achievementId}#level-${level.toLowerCase()}`;
  }
  return forged;
}

/** A credential citing a class id that no document has (never published). */
export function unpublishedClassCredential(issuerDid: string, score: number): JsonObject {
  const credential = classCredential(certificationClass(), issuerDid, score);
  const subject = credential.credentialSubject as JsonObject;
  const stranger = badgeClassId({ ...certificationClass(), image: 'https://badges.example.org/never-published.png' });
  const text = JSON.stringify(subject).split(achievementIdOf(badgeClassId(certificationClass()))).join(achievementIdOf(stranger));
  credential.credentialSubject = JSON.parse(text) as JsonObject;
  return credential;
}
