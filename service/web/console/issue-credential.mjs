/* global crypto, TextEncoder */
/**
 * The Issue page's credentials: an earner's row and a badge class become the unsigned Open Badges 3.0
 * AchievementCredential that the project's builder makes for a class (buildAchievementCredentialForClass,
 * service/credentials/builder.ts). The builder runs on Node (node:crypto), so the page builds the same shape here;
 * test/web/console-issue-modules.test.ts checks, for both example classes, that the two give the same credential.
 * No DOM; hashing through WebCrypto (globalThis.crypto), so it runs in Node as well.
 */

/** The Achievement id of a credential issued against the class (catalogue/badge-class.ts achievementIdOf). */
export const achievementIdOf = (classId) => `urn:badge-notary:class:${classId}`;

/** Where a framework is described, for an alignment the class gives no URL (OB 3.0 requires targetUrl). */
export const FRAMEWORK_URLS = {
  LifeComp: 'https://joint-research-centre.ec.europa.eu/lifecomp_en',
  ESCO: 'https://esco.ec.europa.eu/en/classification',
  EQF: 'https://europass.europa.eu/en/europass-tools/european-qualifications-framework',
};

/** The builder's two scales: a class's score out of 10 counts LifeComp descriptors (soft), out of 100 an exam (technical). */
export function scaleOf(badgeClass) {
  if (badgeClass.score?.max === 10) return 'soft';
  if (badgeClass.score?.max === 100) return 'technical';
  return undefined;
}

/** A class text in both languages, as one line: "Italiano / English" (one of them when they are the same). */
export const bothLanguages = (text) => (text.it === text.en ? text.en : `${text.it} / ${text.en}`);

/** A date as the builder writes it: seconds, UTC, "Z" (dates.ts toDateTimeStamp). */
export const dateTimeStamp = (date) => `${date.toISOString().slice(0, 19)}Z`;

/**
 * The builder's input (BadgeInput) for one earner: the class gives the badge, the issuer form its issuer, the row
 * its earner, evidence and score. `id` and `salt` are drawn when not given.
 */
export function badgeInputFor({ badgeClass, classId, issuer, earner, score, evidence, issuedOn, id, salt }) {
  const first = badgeClass.alignments[0];
  return {
    id: id ?? `urn:uuid:${crypto.randomUUID()}`,
    badgeCode: `CLASS-${classId.slice(2, 10).toUpperCase()}`,
    name: bothLanguages(badgeClass.name),
    description: bothLanguages(badgeClass.description),
    image: { id: badgeClass.image },
    issuer,
    skill: {
      kind: scaleOf(badgeClass),
      area: first ? first.framework : bothLanguages(badgeClass.name),
      competence: first ? first.targetName : bothLanguages(badgeClass.name),
      [scaleOf(badgeClass) === 'soft' ? 'observedDescriptors' : 'score']: score,
    },
    criteria: { narrative: bothLanguages(badgeClass.criteria) },
    ...(evidence ? { evidence: [{ id: evidence, name: badgeClass.evidence.description ? bothLanguages(badgeClass.evidence.description) : 'Evidence' }] } : {}),
    alignments: badgeClass.alignments.map((item) => ({
      framework: item.framework,
      code: item.targetCode,
      name: item.targetName,
      url: item.targetUrl ?? FRAMEWORK_URLS[item.framework],
    })),
    recipient: earner.email ? { email: earner.email, salt: salt ?? randomHex(16) } : { did: earner.identifier },
    issuedOn: dateTimeStamp(issuedOn),
    achievementId: achievementIdOf(classId),
  };
}

/** The unsigned credential for `input` (badgeInputFor) and the level the class gives its score. */
export async function buildCredential(input, badgeClass, level) {
  const achievementId = input.achievementId;
  const soft = input.skill.kind === 'soft';
  const score = soft ? input.skill.observedDescriptors : input.skill.score;
  const bands = badgeClass.score.bands;
  const levelId = (name) => `${achievementId}#level-${name.toLowerCase()}`;
  const achievement = {
    id: achievementId,
    type: ['Achievement'],
    achievementType: 'Competency',
    humanCode: input.badgeCode,
    name: input.name,
    description: input.description,
    criteria: { narrative: input.criteria.narrative },
    image: { id: input.image.id, type: 'Image' },
    fieldOfStudy: input.skill.area,
    specialization: input.skill.competence,
    tag: [input.skill.area, input.skill.competence],
    resultDescription: [
      {
        id: `${achievementId}#level`,
        type: ['ResultDescription'],
        name: soft ? 'Level (LifeComp descriptors observed)' : 'Level (exam score)',
        resultType: 'RubricCriterionLevel',
        allowedValue: bands.map((band) => band.level),
        requiredLevel: levelId(bands[0].level),
        rubricCriterionLevel: bands.map((band) => ({
          id: levelId(band.level),
          type: ['RubricCriterionLevel'],
          name: band.level,
          level: String(badgeClass.levels.find((one) => one.name === band.level).rank),
          description: `${band.from}-${band.to} ${soft ? 'of 10 descriptors observed' : 'points of 100'}`,
        })),
      },
      {
        id: `${achievementId}#score`,
        type: ['ResultDescription'],
        name: soft ? 'LifeComp descriptors observed' : 'Exam score',
        resultType: 'RawScore',
        valueMin: String(badgeClass.score.min),
        valueMax: String(badgeClass.score.max),
        requiredValue: String(bands[0].from),
      },
    ],
    alignment: input.alignments.map((item) => ({
      type: ['Alignment'],
      targetName: item.name,
      targetUrl: item.url,
      targetFramework: item.framework,
      targetCode: item.code,
    })),
  };
  const subject = { type: ['AchievementSubject'], ...(await recipientOf(input.recipient)) };
  subject.achievement = achievement;
  subject.result = [
    { type: ['Result'], resultDescription: `${achievementId}#level`, achievedLevel: levelId(level.name) },
    { type: ['Result'], resultDescription: `${achievementId}#score`, value: String(score) },
  ];
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: input.name,
    issuer: { id: input.issuer.did, type: ['Profile'], name: input.issuer.name, email: input.issuer.email, ...(input.issuer.url ? { url: input.issuer.url } : {}) },
    validFrom: input.issuedOn,
    awardedDate: input.issuedOn,
    credentialSubject: subject,
  };
  if (input.evidence) credential.evidence = input.evidence.map((item) => ({ id: item.id, type: ['Evidence'], name: item.name }));
  return credential;
}

/** The earner as the credential names it: a DID, or the salted SHA-256 of the e-mail (badge-input.ts hashEmailIdentity). */
async function recipientOf(recipient) {
  if (recipient.did) return { id: recipient.did };
  const bytes = new TextEncoder().encode(`${recipient.email.trim().toLowerCase()}${recipient.salt}`);
  const hash = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
  return { identifier: [{ type: 'IdentityObject', identityHash: `sha256$${hash}`, identityType: 'emailAddress', hashed: true, salt: recipient.salt }] };
}

const hex = (bytes) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
const randomHex = (length) => hex(crypto.getRandomValues(new Uint8Array(length)));
