// Badges for the web page's tests: a soft-skill badge (JSON, Data Integrity) and a technical one (VC-JWT), both
// with every item a person looks for (level, competence, LifeComp / EQF alignments, evidence, dates, an
// endorsement by another organisation), and a tampered copy.
import { buildAchievementCredential } from '../../service/credentials/builder';
import type { IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';

export const SCHOOL_DID = 'did:web:school-a.example';
export const SCHOOL_NAME = 'Istituto Scolastico A';
export const NGO_DID = 'did:web:ngo-b.example';
export const NGO_NAME = 'Associazione NGO B';
export const ISSUED_ON = '2025-06-12T09:30:00Z';
export const VALID_UNTIL = '2030-06-30T00:00:00Z';
export const ENDORSEMENT_COMMENT = 'An independent, well documented assessment of collaboration.';

/** An EndorsementCredential of the NGO for a badge class, signed with the NGO's key (Data Integrity). */
async function endorsement(ngoKey: IssuerKey, achievementId: string): Promise<JsonObject> {
  return signCredential({
    key: ngoKey,
    format: 'data-integrity',
    credential: {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: 'urn:uuid:5f0d7c8e-8d0c-4a51-9a55-0c2f0d1e2a33',
      type: ['VerifiableCredential', 'EndorsementCredential'],
      name: `${NGO_NAME} endorses this badge`,
      issuer: { id: NGO_DID, type: ['Profile'], name: NGO_NAME },
      validFrom: '2025-06-01T00:00:00Z',
      credentialSubject: { id: achievementId, type: ['EndorsementSubject'], endorsementComment: ENDORSEMENT_COMMENT },
    },
  });
}

/** The soft-skill badge (7 of 10 LifeComp descriptors: Silver), signed as JSON with Data Integrity. */
export async function softSkillBadge(schoolKey: IssuerKey, ngoKey: IssuerKey): Promise<JsonObject> {
  const achievementId = 'https://school-a.example/badges/leverup-teamwork';
  const input = {
    ...demoBadgeInput({
      issuerDid: SCHOOL_DID,
      issuerName: SCHOOL_NAME,
      issuedOn: new Date(ISSUED_ON),
      validUntil: new Date(VALID_UNTIL),
      recipientDid: 'did:example:earner-giulia',
      observedDescriptors: 7,
    }),
    achievementId,
    endorsements: [await endorsement(ngoKey, achievementId)],
  };
  return signCredential({ credential: buildAchievementCredential(input), key: schoolKey, format: 'data-integrity' });
}

/** A technical badge (exam score 85 of 100: Gold), signed as a VC-JWT. */
/** `statusListCredential`: a W3C status list (the service's) that gets a revocation entry for the badge. */
export async function technicalBadge(schoolKey: IssuerKey, statusListCredential?: string): Promise<string> {
  const base = demoBadgeInput({ issuerDid: SCHOOL_DID, issuerName: SCHOOL_NAME, issuedOn: new Date(ISSUED_ON), recipientDid: 'did:example:earner-marco' });
  const input = {
    ...base,
    badgeCode: 'UNIONCAMERE-MECC-C3',
    name: 'Manutenzione di sistemi meccatronici / Mechatronic systems maintenance',
    description: 'Plans and carries out the maintenance of mechatronic systems, diagnosing faults in their mechanical, electrical and control parts.',
    skill: { kind: 'technical' as const, area: 'Mechatronics', competence: 'C3 Maintenance', score: 85 },
    criteria: { narrative: 'A written and practical exam set by the chamber of commerce, scored out of 100 by a third-party commission.' },
    evidence: [{ name: 'Exam record', narrative: 'Practical test on a production-line simulator, 85 points of 100.', genre: 'Exam' }],
    alignments: [
      {
        framework: 'ESCO',
        name: 'maintain mechatronic equipment',
        url: 'https://esco.ec.europa.eu/en/classification/skill_main',
      },
      { framework: 'EQF', code: '4', name: 'EQF level 4', url: 'https://europass.europa.eu/en/europass-tools/european-qualifications-framework' },
    ],
    ...(statusListCredential ? { status: { statusListCredential } } : {}),
  };
  return signCredential({ credential: buildAchievementCredential(input), key: schoolKey, format: 'vc-jwt' });
}

/** The credential with its level raised from Silver to Gold after signing: the signature no longer holds. */
export function raisedToGold(credential: JsonObject): JsonObject {
  const copy = JSON.parse(JSON.stringify(credential)) as JsonObject;
  const subject = copy.credentialSubject as { result: { achievedLevel?: string }[] };
  const level = subject.result.find((result) => result.achievedLevel !== undefined)!;
  level.achievedLevel = level.achievedLevel!.replace(/#level-silver$/, '#level-gold');
  return copy;
}
