import { expect } from 'chai';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { memberKeyId } from '../../service/credentials/key-id';
import { addCoSignature, signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { badgeClassId, type BadgeClassDocument, type BadgeClassId, type BadgeClassRecord } from '../../service/catalogue';
import { inlineVerifier } from '../../service/http/app';
import { CredentialWriter, Intake, RegistryDirectory, UseCaseError, type BadgeClassCatalogueMirror, type RegistryMirror } from '../../service/notary';
import { Role, Status, type Member, type SigningKey } from '../../service/registry';
import type { NewCredential } from '../../service/store';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { certificationClass, classCredential, unpublishedClassCredential, withForgedLevel } from '../support/class-badges';

// Unit test of intake's class checks (service/notary/class-conformance.ts): the registry and catalogue mirrors are
// test doubles (plain objects); the signatures are real. The end-to-end run is test/e2e/catalogue.e2e.test.ts.
const SCHOOL = 'did:web:school-a.example';
const CHAMBER = 'did:web:chamber-c.example';
const NGO = 'did:web:ngo-b.example';

interface World {
  members: Member[];
  keys: SigningKey[];
  classes: Map<string, { record: BadgeClassRecord; document?: BadgeClassDocument }>;
  schoolKey: IssuerKey;
  chamberKey: IssuerKey;
  ngoKey: IssuerKey;
  stored: NewCredential[];
}

function member(id: number, did: string, role: number, status: number = Status.Active): Member {
  return { id, did, controller: `0x${String(id).padStart(40, '0')}`, role, status, statusSince: 0, metadataURI: '', metadataHash: '0x' };
}

function key(memberId: number, issuerKey: IssuerKey): SigningKey {
  return { keyHash: issuerKey.keyHash.toLowerCase(), memberId, validFrom: 0, validUntil: 0, compromisedAt: 0, revoked: false };
}

function world(): World {
  const schoolKey = generateIssuerKey({ type: 'Ed25519' });
  const chamberKey = generateIssuerKey({ type: 'Ed25519' });
  const ngoKey = generateIssuerKey({ type: 'Ed25519' });
  return {
    members: [member(1, SCHOOL, Role.IssuingPoint), member(2, NGO, Role.IssuingPoint), member(3, CHAMBER, Role.ValidationPoint)],
    keys: [key(1, schoolKey), key(2, ngoKey), key(3, chamberKey)],
    classes: new Map(),
    schoolKey,
    chamberKey,
    ngoKey,
    stored: [],
  };
}

function publish(w: World, document: BadgeClassDocument, options: { publisher?: number; holdDocument?: boolean } = {}): BadgeClassId {
  const classId = badgeClassId(document);
  const record: BadgeClassRecord = { classId, publisher: options.publisher ?? 2, publishedAt: 1, uri: 'https://x.example/c', supersedes: null, supersededBy: null, adopters: [] };
  w.classes.set(classId, { record, ...(options.holdDocument === false ? {} : { document }) });
  return classId;
}

function intake(w: World, catalogue: BadgeClassCatalogueMirror | null = catalogueOf(w)): Intake {
  const mirror = {
    member: (id: number) => w.members.find((m) => m.id === id),
    memberByDid: (did: string) => w.members.find((m) => m.did === did),
    key: (hash: string) => w.keys.find((k) => k.keyHash === hash.toLowerCase()),
  } as unknown as RegistryMirror;
  const clock = () => Date.now();
  return new Intake({
    store: {
      credentials: { get: () => undefined, insertMany: () => [] },
      batches: { get: () => undefined },
      statusLists: { digestsAt: async () => new Map() },
    } as never,
    verifier: inlineVerifier,
    directory: new RegistryDirectory({ mirror, clock, cacheMs: 0 }),
    clock,
    writer: { write: async (records: NewCredential[]) => (w.stored.push(...records), records.map(() => true)) } as unknown as CredentialWriter,
    ...(catalogue ? { badgeClasses: catalogue } : {}),
  });
}

function catalogueOf(w: World): BadgeClassCatalogueMirror {
  return { badgeClass: (id) => w.classes.get(id)?.record, document: (id) => w.classes.get(id)?.document };
}

const school = { memberId: 1, memberDid: SCHOOL, subject: 'test' };
const one = (credential: unknown) => ({ items: [credential], bulk: false, fieldOf: () => 'credential' });

async function signed(w: World, credential: JsonObject, coSigner?: { did: string; key: IssuerKey }): Promise<JsonObject> {
  const issued = await signCredential({ credential, key: w.schoolKey, format: 'data-integrity' });
  return coSigner ? addCoSignature({ credential: issued, key: coSigner.key, verificationMethod: memberKeyId(coSigner.did, coSigner.key) }) : issued;
}

async function refusal(promise: Promise<unknown>): Promise<{ field: string; code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'expected a refusal').to.be.instanceOf(UseCaseError);
  const useCase = error as UseCaseError;
  expect(useCase.kind).to.equal('unprocessable');
  const [item] = useCase.details.items as { field: string; code: string; message: string }[];
  expect(useCase.details.field).to.equal(item!.field);
  return item!;
}

describe('intake: a credential issued against a badge class (unit, mirrors as doubles)', function () {
  this.timeout(30_000);

  it('takes a credential whose level and score fit a published class the notary holds', async function () {
    const w = world();
    const document = certificationClass();
    publish(w, document);
    const [accepted] = await intake(w).submit(school, one(await signed(w, classCredential(document, SCHOOL, 85))));
    expect(accepted).to.include({ created: true, state: 'queued' });
    expect(w.stored).to.have.length(1);
  });

  it('takes a credential against a superseded version (old versions stay valid)', async function () {
    const w = world();
    const document = certificationClass();
    const classId = publish(w, document);
    w.classes.get(classId)!.record.supersededBy = badgeClassId(certificationClass({ supersedes: classId }));
    await intake(w).submit(school, one(await signed(w, classCredential(document, SCHOOL, 72))));
    expect(w.stored).to.have.length(1);
  });

  it('refuses a forged level (score 85, level Platinum) naming the level field', async function () {
    const w = world();
    const document = certificationClass();
    publish(w, document);
    const forged = await signed(w, withForgedLevel(classCredential(document, SCHOOL, 85), 'Platinum'));
    const item = await refusal(intake(w).submit(school, one(forged)));
    expect(item.field).to.equal('credential.credentialSubject.result[0].achievedLevel');
    expect(item.code).to.equal('class-mismatch');
    expect(item.message).to.contain('"Platinum" does not match score 85, which the class\'s bands give "Gold"');
    expect(w.stored).to.have.length(0);
  });

  it('refuses a level outside the class\'s scheme', async function () {
    const w = world();
    const document = certificationClass();
    publish(w, document);
    const item = await refusal(intake(w).submit(school, one(await signed(w, withForgedLevel(classCredential(document, SCHOOL, 85), 'Copper')))));
    expect(item).to.include({ field: 'credential.credentialSubject.result[0].achievedLevel', code: 'class-mismatch' });
    expect(item.message).to.contain('is not a level of the class (Silver, Gold, Platinum)');
  });

  it('refuses a class never published, naming the achievement id', async function () {
    const w = world();
    publish(w, certificationClass());
    const item = await refusal(intake(w).submit(school, one(await signed(w, unpublishedClassCredential(SCHOOL, 85)))));
    expect(item).to.include({ field: 'credential.credentialSubject.achievement.id', code: 'class-not-published' });
    expect(item.message).to.match(/^badge class 0x[0-9a-f]{64} is not published in the network's catalogue$/);
  });

  it('refuses a published class whose document the notary does not hold', async function () {
    const w = world();
    const document = certificationClass();
    publish(w, document, { holdDocument: false });
    const item = await refusal(intake(w).submit(school, one(await signed(w, classCredential(document, SCHOOL, 85)))));
    expect(item).to.include({ field: 'credential.credentialSubject.achievement.id', code: 'class-document-unknown' });
    expect(item.message).to.contain('/document');
  });

  it('refuses a class whose publisher is removed, and takes one whose publisher is suspended', async function () {
    const w = world();
    const document = certificationClass();
    publish(w, document, { publisher: 2 });
    w.members[1]!.status = Status.Suspended;
    await intake(w).submit(school, one(await signed(w, classCredential(document, SCHOOL, 85))));
    expect(w.stored).to.have.length(1);
    w.members[1]!.status = Status.Removed;
    const item = await refusal(intake(w).submit(school, one(await signed(w, classCredential(document, SCHOOL, 85)))));
    expect(item).to.include({ field: 'credential.credentialSubject.achievement.id', code: 'class-publisher-removed' });
    expect(item.message).to.contain('member 2, which is removed');
  });

  it('refuses a class-citing credential when the notary has no catalogue mirror', async function () {
    const w = world();
    const item = await refusal(intake(w, null).submit(school, one(await signed(w, classCredential(certificationClass(), SCHOOL, 85)))));
    expect(item.code).to.equal('catalogue-unavailable');
  });

  describe('a class requiring co-issuance by a validation point', function () {
    const coIssued = certificationClass({ coIssued: true });

    it('takes the credential co-signed by an active validation point with a registered key', async function () {
      const w = world();
      publish(w, coIssued);
      await intake(w).submit(school, one(await signed(w, classCredential(coIssued, SCHOOL, 93), { did: CHAMBER, key: w.chamberKey })));
      expect(w.stored).to.have.length(1);
    });

    it('refuses it without the co-signature, naming the proof', async function () {
      const w = world();
      publish(w, coIssued);
      const item = await refusal(intake(w).submit(school, one(await signed(w, classCredential(coIssued, SCHOOL, 93)))));
      expect(item).to.include({ field: 'credential.proof', code: 'co-signature-missing' });
      expect(item.message).to.contain('requires a co-signature by a validation-point: it carries no co-signature');
    });

    it('refuses a co-signer with another role, a suspended one, and one whose key is not registered to it', async function () {
      const w = world();
      publish(w, coIssued);
      const submit = async (coSigner: { did: string; key: IssuerKey }) =>
        refusal(intake(w).submit(school, one(await signed(w, classCredential(coIssued, SCHOOL, 93), coSigner))));
      const byNgo = await submit({ did: NGO, key: w.ngoKey });
      expect(byNgo.message).to.contain(`co-signer member 2 (${NGO}) is a issuing-point, not a validation-point`);
      const stranger = generateIssuerKey({ type: 'Ed25519' });
      const unregistered = await submit({ did: CHAMBER, key: stranger });
      expect(unregistered.message).to.contain('the key is not registered in the registry');
      w.members[2]!.status = Status.Suspended;
      const suspended = await submit({ did: CHAMBER, key: w.chamberKey });
      expect(suspended.message).to.contain(`co-signer member 3 (${CHAMBER}) is not active`);
      expect(w.stored).to.have.length(0);
    });
  });

  it('takes a credential citing no class as before, with or without a catalogue', async function () {
    const w = world();
    await intake(w, null).submit(school, one(await signed(w, buildAchievementCredential(demoBadgeInput({ issuerDid: SCHOOL })))));
    expect(w.stored).to.have.length(1);
  });
});
