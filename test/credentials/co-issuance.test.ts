import { expect } from 'chai';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { verifyCredential as digitalBazaarVerify } from '@digitalbazaar/vc';
import {
  addCoSignature,
  addIssuerProof,
  createVerifierPool,
  digestOf,
  documentLoader as contextLoader,
  InvalidBadgeInputError,
  memberDidDocument,
  MalformedProofError,
  SignatureInvalidError,
  signCredential,
  verifyCredential,
  type JsonObject,
} from '../../service/credentials';
import { verifyLinkedDataProofs } from '../../service/credentials/data-integrity';
import { memberKeyId } from '../../service/credentials/key-id';
import { CREATED, edKey, expectRejection, NOW, otherEdKey, unsignedFor } from './fixtures';

// The issuing point (the credential's issuer, edKey) and the validation point (another member, otherEdKey).
const ISSUING_POINT = 'did:web:school.example';
const VALIDATION_POINT = 'did:web:validation.example';
const CO_SIGNER_KEY_ID = memberKeyId(VALIDATION_POINT, otherEdKey);
const ISSUER_KEY_ID = memberKeyId(ISSUING_POINT, edKey);

async function issuerSigned(): Promise<JsonObject> {
  return signCredential({ credential: unsignedFor('data-integrity'), key: edKey, format: 'data-integrity', created: CREATED });
}

async function coIssued(): Promise<JsonObject> {
  return addCoSignature({ credential: await issuerSigned(), key: otherEdKey, verificationMethod: CO_SIGNER_KEY_ID, created: CREATED });
}

function proofsOf(credential: JsonObject): JsonObject[] {
  return credential.proof as JsonObject[];
}

describe('credentials: co-issuance (a Data Integrity proof set of two members)', function () {
  this.timeout(60_000);

  it('adds the co-signer proof beside the issuer proof, each with its member key id', async function () {
    const credential = await coIssued();
    const proofs = proofsOf(credential);
    expect(proofs).to.have.length(2);
    expect(proofs.map((proof) => proof.verificationMethod)).to.deep.equal([ISSUER_KEY_ID, CO_SIGNER_KEY_ID]);
    expect(proofs.every((proof) => proof.cryptosuite === 'eddsa-rdfc-2022')).to.equal(true);
  });

  it('verifies every proof and lists each signer, the issuer first', async function () {
    const result = await verifyCredential({ credential: await coIssued(), now: NOW });
    expect(result.verified, result.error?.shortMessage).to.equal(true);
    expect(result.verificationMethod).to.equal(ISSUER_KEY_ID);
    expect(result.signers?.map((signer) => signer.verificationMethod)).to.deep.equal([ISSUER_KEY_ID, CO_SIGNER_KEY_ID]);
    expect(result.checks.find((check) => check.name === 'signature')?.message).to.equal(`signed by ${ISSUER_KEY_ID} and ${CO_SIGNER_KEY_ID}`);
  });

  it('a one-signer credential has no signers list (the result is as before)', async function () {
    const result = await verifyCredential({ credential: await issuerSigned(), now: NOW });
    expect(result.verified).to.equal(true);
    expect(result.signers).to.equal(undefined);
  });

  it('each proof signs the credential without the other (proof set, not chain): the co-signer proof verifies alone', async function () {
    const credential = await coIssued();
    const alone = { ...credential, proof: proofsOf(credential)[1] };
    const [info] = await verifyLinkedDataProofs(alone);
    expect(info?.verificationMethod).to.equal(CO_SIGNER_KEY_ID);
  });

  it('fails on a forged co-signature, naming the co-signer key', async function () {
    const credential = await coIssued();
    const other = await signCredential({
      credential: unsignedFor('data-integrity', { name: 'Another badge' }),
      key: otherEdKey,
      format: 'data-integrity',
      created: CREATED,
      verificationMethod: CO_SIGNER_KEY_ID,
    });
    const [issuerProof, coProof] = proofsOf(credential) as [JsonObject, JsonObject];
    const forged = { ...credential, proof: [issuerProof, { ...coProof, proofValue: (other.proof as JsonObject).proofValue }] };
    const result = await verifyCredential({ credential: forged, now: NOW });
    expect(result.verified).to.equal(false);
    expect(result.error).to.be.instanceOf(SignatureInvalidError);
    expect(result.error?.shortMessage).to.contain(CO_SIGNER_KEY_ID);
  });

  it('fails when the issuer proof is forged and the co-signature holds', async function () {
    const credential = await coIssued();
    const [issuerProof, coProof] = proofsOf(credential) as [JsonObject, JsonObject];
    const forged = { ...credential, proof: [{ ...issuerProof, proofValue: coProof.proofValue }, coProof] };
    const result = await verifyCredential({ credential: forged, now: NOW });
    expect(result.verified).to.equal(false);
    expect(result.error?.shortMessage).to.contain(ISSUER_KEY_ID);
  });

  it('the digest covers both proofs: a co-signature changes it, so co-signing comes before notarising', async function () {
    const signed = await issuerSigned();
    const both = await addCoSignature({ credential: signed, key: otherEdKey, verificationMethod: CO_SIGNER_KEY_ID, created: CREATED });
    expect(await digestOf(both)).to.not.equal(await digestOf(signed));
    const swapped = { ...both, proof: [...proofsOf(both)].reverse() };
    expect(await digestOf(swapped)).to.not.equal(await digestOf(both));
  });

  it('refuses a co-signature by a key that already signed', async function () {
    const again = addCoSignature({ credential: await issuerSigned(), key: edKey, verificationMethod: ISSUER_KEY_ID });
    const error = await expectRejection(again, InvalidBadgeInputError);
    expect(error.shortMessage).to.contain('already signed');
  });

  it('refuses to co-sign an unsigned credential, a VC-JWT, or a notarised credential', async function () {
    const unsigned = await expectRejection(
      addCoSignature({ credential: unsignedFor('data-integrity'), key: otherEdKey, verificationMethod: CO_SIGNER_KEY_ID }),
      InvalidBadgeInputError,
    );
    expect(unsigned.shortMessage).to.contain('credential.proof');
    const jwt = await signCredential({ credential: unsignedFor('vc-jwt'), key: edKey, format: 'vc-jwt' });
    const jwtCoSigned = addCoSignature({ credential: jwt as unknown as JsonObject, key: otherEdKey, verificationMethod: CO_SIGNER_KEY_ID });
    await expectRejection(jwtCoSigned, InvalidBadgeInputError);
    const signed = await issuerSigned();
    const withReceipt = { ...signed, proof: [signed.proof as JsonObject, { type: 'BadgeNotaryReceipt', receipt: {} }] };
    const receiptCoSigned = addCoSignature({ credential: withReceipt, key: otherEdKey, verificationMethod: CO_SIGNER_KEY_ID });
    const notarised = await expectRejection(receiptCoSigned, InvalidBadgeInputError);
    expect(notarised.shortMessage).to.contain('before notarising');
  });

  describe('the validation point signs first (the web console\'s order): addIssuerProof', function () {
    async function validationPointSigned(): Promise<JsonObject> {
      return signCredential({ credential: unsignedFor('data-integrity'), key: otherEdKey, format: 'data-integrity', verificationMethod: CO_SIGNER_KEY_ID, created: CREATED });
    }

    it('puts the issuer proof first: the very credential signCredential then addCoSignature make', async function () {
      const issuerLast = await addIssuerProof({ credential: await validationPointSigned(), key: edKey, created: CREATED });
      expect(proofsOf(issuerLast).map((proof) => proof.verificationMethod)).to.deep.equal([ISSUER_KEY_ID, CO_SIGNER_KEY_ID]);
      expect(issuerLast).to.deep.equal(await coIssued());
      const result = await verifyCredential({ credential: issuerLast, now: NOW });
      expect(result.verified, result.error?.shortMessage).to.equal(true);
      expect(result.signers?.map((signer) => signer.verificationMethod)).to.deep.equal([ISSUER_KEY_ID, CO_SIGNER_KEY_ID]);
    });

    it('refuses a credential that already holds its issuer\'s proof, and the co-signer\'s own key', async function () {
      const twice = await expectRejection(addIssuerProof({ credential: await issuerSigned(), key: otherEdKey }), InvalidBadgeInputError);
      expect(twice.shortMessage).to.contain(`already holds a proof by its issuer ${ISSUING_POINT}`);
      const sameKey = await expectRejection(addIssuerProof({ credential: await validationPointSigned(), key: otherEdKey }), InvalidBadgeInputError);
      expect(sameKey.shortMessage).to.contain('already signed');
    });

    it('refuses a notarised credential and a changed one stays unverifiable', async function () {
      const signed = await validationPointSigned();
      const withReceipt = { ...signed, proof: [signed.proof as JsonObject, { type: 'BadgeNotaryReceipt', receipt: {} }] };
      const notarised = await expectRejection(addIssuerProof({ credential: withReceipt, key: edKey }), InvalidBadgeInputError);
      expect(notarised.shortMessage).to.contain('before notarising');
      const changed = { ...signed, name: 'Another badge' };
      const issuerLast = await addIssuerProof({ credential: changed, key: edKey, created: CREATED });
      const result = await verifyCredential({ credential: issuerLast, now: NOW });
      expect(result.verified).to.equal(false);
      expect(result.error).to.be.instanceOf(SignatureInvalidError);
    });
  });

  it('refuses a co-signer key id that names another key', async function () {
    const error = await expectRejection(
      addCoSignature({ credential: await issuerSigned(), key: otherEdKey, verificationMethod: memberKeyId(VALIDATION_POINT, edKey) }),
      InvalidBadgeInputError,
    );
    expect(error.shortMessage).to.contain('verificationMethod');
  });

  it('refuses a proof set mixing an Ed25519Signature2020 proof in', async function () {
    const credential = await coIssued();
    const [issuerProof, coProof] = proofsOf(credential) as [JsonObject, JsonObject];
    const mixed: JsonObject = {
      ...credential,
      '@context': [...(credential['@context'] as string[]), 'https://w3id.org/security/suites/ed25519-2020/v1'],
      proof: [issuerProof, { ...coProof, type: 'Ed25519Signature2020' }],
    };
    const result = await verifyCredential({ credential: mixed, now: NOW });
    expect(result.verified).to.equal(false);
    expect(result.error).to.be.instanceOf(MalformedProofError);
    expect(result.error?.shortMessage).to.contain('proof[1]');
  });

  it('the worker pool verifies the proof set and lists each signer', async function () {
    const pool = createVerifierPool({ size: 1 });
    try {
      const credential = await coIssued();
      const [issuerProof, coProof] = proofsOf(credential) as [JsonObject, JsonObject];
      const forged = { ...credential, proof: [issuerProof, { ...coProof, proofValue: issuerProof.proofValue }] };
      const [good, bad] = await pool.verifyMany({ credentials: [credential, forged], now: NOW });
      expect(good?.verified, good?.error?.shortMessage).to.equal(true);
      expect(good?.signers?.map((signer) => signer.verificationMethod)).to.deep.equal([ISSUER_KEY_ID, CO_SIGNER_KEY_ID]);
      expect(bad?.verified).to.equal(false);
      expect(bad?.error?.shortMessage).to.contain(CO_SIGNER_KEY_ID);
    } finally {
      await pool.close();
    }
  });

  describe('@digitalbazaar/vc on the proof set (both members\' DID documents)', function () {
    const documents: Record<string, JsonObject> = {
      [ISSUING_POINT]: memberDidDocument(ISSUING_POINT, [{ key: edKey.publicKey, assertion: true }]),
      [VALIDATION_POINT]: memberDidDocument(VALIDATION_POINT, [{ key: otherEdKey.publicKey, assertion: true }]),
    };
    async function worldLoader(url: string) {
      const [did, fragment] = url.split('#');
      const document = did === undefined ? undefined : documents[did];
      if (document) {
        if (fragment === undefined) return { contextUrl: null, documentUrl: url, document };
        const method = (document.verificationMethod as JsonObject[]).find((item) => item.id === url);
        if (!method) throw new Error(`${url} is not in the DID document`);
        return { contextUrl: null, documentUrl: url, document: { '@context': document['@context'], ...method } };
      }
      return contextLoader(url);
    }
    const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
    const reasons = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (item instanceof Error ? item.message : item));

    it('verifies each proof: the issuer proof passes; the co-signer proof is judged by the issuance purpose (controller = issuer)', async function () {
      const result = (await digitalBazaarVerify({ credential: await coIssued(), suite: suite(), documentLoader: worldLoader })) as {
        verified: boolean;
        results: { verified: boolean; proof: JsonObject }[];
      };
      // jsonld-signatures answers verified when at least one proof verifies: a relying party must read every result
      expect(result.verified).to.equal(true);
      expect(result.results).to.have.length(2);
      expect(result.results.map((entry) => entry.verified)).to.deep.equal([true, false]);
      expect(reasons(result.results[1])).to.contain('Credential issuer must match the verification method controller');
    });
  });
});
