import { expect } from 'chai';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { CompactSign } from 'jose';
import {
  MalformedProofError,
  MissingProofError,
  NotJsonError,
  parseCredential,
  signCredential,
  UnknownContextError,
  UnknownFormatError,
  UnsupportedAlgorithmError,
  UnsupportedKeyError,
  InvalidKeyError,
  InvalidBadgeInputError,
  SchemaError,
  verifyCredential,
  type JsonObject,
} from '../../service/credentials';
import {
  decodeJsonPart,
  edKey,
  encodeJson,
  expectRejection,
  NOW,
  p256Key,
  replaceJwsPart,
  signed,
  unsignedFor,
} from './fixtures';

const UNKNOWN_CONTEXT = 'https://contexts.example.org/badges/v1.jsonld';

async function expectRejectionOf(action: () => unknown): Promise<void> {
  let rejected = false;
  try {
    await action();
  } catch {
    rejected = true;
  }
  expect(rejected).to.equal(true);
}

/** Signs `payload` as a compact JWS with the Ed25519 fixture key and the given header. */
async function jws(payload: JsonObject, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: edKey.verificationMethod, ...header })
    .sign(edKey.privateKey);
}

describe('credentials: inputs that are not accepted', function () {
  describe('not JSON, not a credential', function () {
    const notJson: [string, string | Uint8Array][] = [
      ['plain text', 'this is not a credential'],
      ['truncated JSON', '{"@context": ["https://www.w3.org/ns/credentials/v2"'],
      ['bytes that are not UTF-8', Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)],
      ['three dotted parts that are not base64url JSON', 'abc.def.ghi'],
    ];
    for (const [name, input] of notJson) {
      it(`rejects ${name} with NotJsonError`, async function () {
        const error = await expectRejection(parseCredential(input), NotJsonError);
        expect(error.code).to.equal('NOT_JSON');
        expect(error.shortMessage).to.contain('neither JSON nor a compact JWS');
      });
    }

    const notCredential: [string, string | JsonObject][] = [
      ['a JSON array', '[1, 2, 3]'],
      ['JSON without @context', '{"name": "a badge"}'],
    ];
    for (const [name, input] of notCredential) {
      it(`rejects ${name} with UnknownFormatError`, async function () {
        await expectRejection(parseCredential(input), UnknownFormatError);
      });
    }

    it('rejects a JWS whose payload is neither a VC nor an OB 2.0 assertion', async function () {
      const error = await expectRejection(parseCredential(await jws({ sub: 'someone', iat: 1 })), UnknownFormatError);
      expect(error.shortMessage).to.contain('neither a verifiable credential nor an OB 2.0 assertion');
    });

    it('rejects a presentation JWT', async function () {
      await expectRejection(parseCredential(await jws({ vp: { type: ['VerifiablePresentation'] } })), UnknownFormatError);
    });

    it('rejects an OB 2.0 assertion given as plain JSON (hosted verification would need the network)', async function () {
      const error = await expectRejection(parseCredential(unsignedFor('ob2-jws')), UnknownFormatError);
      expect(error.message).to.contain('network');
    });

    it('verifyCredential does not throw: it reports the format failure and skips the rest', async function () {
      const result = await verifyCredential({ credential: 'not a credential', now: NOW });
      expect(result.verified).to.equal(false);
      expect(result.error).to.be.instanceOf(NotJsonError);
      expect(result.checks.map((check) => check.status)).to.deep.equal(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    });
  });

  describe('contexts', function () {
    it('rejects a JSON credential with an unknown context, naming the URL', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      credential['@context'] = [...(credential['@context'] as string[]), UNKNOWN_CONTEXT];
      const error = await expectRejection(parseCredential(credential), UnknownContextError);
      expect(error.code).to.equal('UNKNOWN_CONTEXT');
      expect(error.shortMessage).to.contain(UNKNOWN_CONTEXT);
      expect(error.params.url).to.equal(UNKNOWN_CONTEXT);
    });

    it('rejects a VC-JWT whose credential names an unknown context', async function () {
      const credential = unsignedFor('vc-jwt');
      credential['@context'] = [...(credential['@context'] as string[]), UNKNOWN_CONTEXT];
      const jwt = await signCredential({ credential, key: edKey, format: 'vc-jwt' });
      const result = await verifyCredential({ credential: jwt, now: NOW });
      expect(result.error).to.be.instanceOf(UnknownContextError);
      expect(result.error?.message).to.contain(UNKNOWN_CONTEXT);
    });

    it('refuses to sign with an unknown context instead of fetching it', async function () {
      const credential = unsignedFor('data-integrity');
      credential['@context'] = [...(credential['@context'] as string[]), UNKNOWN_CONTEXT];
      const error = await expectRejection(signCredential({ credential, key: edKey, format: 'data-integrity' }), UnknownContextError);
      expect(error.shortMessage).to.contain(UNKNOWN_CONTEXT);
    });

    describe('with every network entry point watched', function () {
      const calls: string[] = [];
      const restore: (() => void)[] = [];
      function watch<T extends object>(target: T, name: keyof T & string, label: string) {
        const original = target[name];
        (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
          calls.push(`${label}(${String(args[0]).slice(0, 80)})`);
          throw new Error(`network access attempted: ${label}`);
        };
        restore.push(() => ((target as Record<string, unknown>)[name] = original));
      }
      beforeEach(function () {
        calls.length = 0;
        watch(http, 'request', 'http.request');
        watch(http, 'get', 'http.get');
        watch(https, 'request', 'https.request');
        watch(https, 'get', 'https.get');
        watch(net, 'connect', 'net.connect');
        watch(net, 'createConnection', 'net.createConnection');
        watch(tls, 'connect', 'tls.connect');
        watch(dns, 'lookup', 'dns.lookup');
        watch(globalThis, 'fetch', 'fetch');
      });
      afterEach(function () {
        for (const undo of restore.splice(0)) undo();
      });

      it('(the watch itself notices a request)', async function () {
        expect(() => https.get('https://contexts.example.org/')).to.throw('network access attempted');
        await expectRejectionOf(() => fetch(UNKNOWN_CONTEXT));
        expect(calls).to.have.length(2);
      });

      it('fails a remote context imported by an inline context, without any network call', async function () {
        const credential = (await signed('data-integrity')) as JsonObject;
        credential['@context'] = [...(credential['@context'] as string[]), { '@import': UNKNOWN_CONTEXT }] as JsonObject[];
        const result = await verifyCredential({ credential, now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.error).to.be.instanceOf(UnknownContextError);
        expect(result.error?.params.url).to.equal(UNKNOWN_CONTEXT);
        expect(calls).to.deep.equal([]);
      });

      it('verifies every format offline', async function () {
        for (const format of ['data-integrity', 'ed25519-signature-2020', 'vc-jwt', 'ob2-jws'] as const) {
          const result = await verifyCredential({ credential: await signed(format), now: NOW });
          expect(result.verified, `${format}: ${result.error?.message}`).to.equal(true);
        }
        expect(calls).to.deep.equal([]);
      });
    });
  });

  describe('JSON-LD safe mode', function () {
    for (const format of ['data-integrity', 'ed25519-signature-2020'] as const) {
      it(`${format}: a term the contexts do not define is a SchemaError naming it, not silently unsigned`, async function () {
        const credential = (await signed(format)) as JsonObject;
        ((credential.credentialSubject as JsonObject).achievement as JsonObject).undefinedTerm = 'not in any context';
        const result = await verifyCredential({ credential, now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.error).to.be.instanceOf(SchemaError);
        expect(result.error?.shortMessage).to.contain('undefinedTerm');
      });
    }

    it('refuses to sign a credential with an undefined term', async function () {
      const credential = unsignedFor('data-integrity');
      credential.undefinedTerm = 1;
      const error = await expectRejection(signCredential({ credential, key: edKey, format: 'data-integrity' }), InvalidBadgeInputError);
      expect(error.params.field).to.equal('undefinedTerm');
    });
  });

  describe('missing or wrong proofs', function () {
    it('rejects a JSON credential without a proof', async function () {
      const error = await expectRejection(parseCredential(unsignedFor('data-integrity')), MissingProofError);
      expect(error.code).to.equal('MISSING_PROOF');
    });

    it('does not take a notarisation receipt for an issuer proof', async function () {
      const credential = unsignedFor('data-integrity');
      credential.proof = [{ type: 'BadgeNotaryReceipt', receipt: { root: '0x00' } }];
      const error = await expectRejection(parseCredential(credential), MissingProofError);
      expect(error.shortMessage).to.contain('BadgeNotaryReceipt');
    });

    const broken: [string, (proof: JsonObject) => void, string][] = [
      ['proofPurpose authentication', (proof) => (proof.proofPurpose = 'authentication'), 'proof.proofPurpose'],
      ['no proofValue', (proof) => delete proof.proofValue, 'proof.proofValue'],
      ['no verificationMethod', (proof) => delete proof.verificationMethod, 'proof.verificationMethod'],
      ['a DID without a fragment as verificationMethod', (proof) => (proof.verificationMethod = edKey.did), 'proof.verificationMethod'],
    ];
    for (const [name, change, field] of broken) {
      it(`rejects a proof with ${name} (MalformedProofError naming ${field})`, async function () {
        const credential = (await signed('data-integrity')) as JsonObject;
        change(credential.proof as JsonObject);
        const error = await expectRejection(parseCredential(credential), MalformedProofError);
        expect(error.shortMessage).to.contain(field);
      });
    }

    it('rejects two issuer proofs (one key hash per credential)', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      credential.proof = [credential.proof as JsonObject, { ...(credential.proof as JsonObject) }];
      const error = await expectRejection(parseCredential(credential), MalformedProofError);
      expect(error.shortMessage).to.contain('2 issuer proofs');
    });

    it('rejects an Ed25519Signature2020 proof on a credential without the ed25519-2020 context', async function () {
      const credential = (await signed('ed25519-signature-2020')) as JsonObject;
      credential['@context'] = (credential['@context'] as string[]).filter((url) => !url.includes('ed25519-2020'));
      const error = await expectRejection(parseCredential(credential), MalformedProofError);
      expect(error.shortMessage).to.contain('https://w3id.org/security/suites/ed25519-2020/v1');
    });

    it('rejects a did:web verification method whose fragment is not the key, naming the key ids resolved offline', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      (credential.proof as JsonObject).verificationMethod = 'did:web:school.example#key-1';
      const error = await expectRejection(parseCredential(credential), UnsupportedKeyError);
      expect(error.shortMessage).to.contain('did:web:school.example#key-1');
      expect(error.shortMessage).to.contain("fragment is the key's publicKeyMultibase");
      expect(error.shortMessage).to.contain('supported: did:key, did:jwk');
      expect(error.shortMessage).to.not.contain('network');
    });

    it('rejects a verification method of another DID method, naming the method met and the ones supported', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      (credential.proof as JsonObject).verificationMethod = 'did:ion:EiA#key-1';
      const error = await expectRejection(parseCredential(credential), UnsupportedKeyError);
      expect(error.shortMessage).to.contain('the DID method did:ion is not resolved here');
      expect(error.shortMessage).to.contain('supported: did:key, did:jwk, or a member key id did:web:<host>#<publicKeyMultibase>');
    });

    it('rejects a malformed did:key', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      (credential.proof as JsonObject).verificationMethod = 'did:key:z6Mk0OIl#z6Mk0OIl';
      await expectRejection(parseCredential(credential), InvalidKeyError);
    });

    it('rejects a VC-JWT without kid when the issuer is not a did:key', async function () {
      const token = await jws(unsignedFor('vc-jwt'), { kid: undefined });
      const error = await expectRejection(parseCredential(token), MalformedProofError);
      expect(error.shortMessage).to.contain('kid');
    });

    it('rejects a VC-JWT whose kid is an https URL, naming the key ids supported', async function () {
      const token = await jws(unsignedFor('vc-jwt'), { kid: 'https://school.example/keys/1' });
      const error = await expectRejection(parseCredential(token), UnsupportedKeyError);
      expect(error.shortMessage).to.contain('a key URL that is not a DID is not resolved here');
      expect(error.shortMessage).to.contain('supported: did:key, did:jwk');
    });

    it('rejects a VC-JWT that also carries an embedded proof', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      await expectRejection(parseCredential(await jws(credential)), MalformedProofError);
    });

    it('rejects an OB 2.0 assertion whose creator is an https key URL, naming the key ids supported', async function () {
      const assertion = unsignedFor('ob2-jws');
      assertion.verification = { type: 'signed', creator: 'https://school.example/public-key.json' };
      const token = await jws(assertion, { kid: undefined });
      const error = await expectRejection(parseCredential(token), UnsupportedKeyError);
      expect(error.shortMessage).to.contain('https://school.example/public-key.json');
      expect(error.shortMessage).to.contain('supported: did:key, did:jwk');
      expect(error.params.field).to.equal('verification.creator');
    });

    it('rejects an OB 2.0 assertion verified as hosted', async function () {
      const assertion = unsignedFor('ob2-jws');
      assertion.verification = { type: 'hosted' };
      const error = await expectRejection(parseCredential(await jws(assertion)), MalformedProofError);
      expect(error.shortMessage).to.contain('verification.type');
    });
  });

  describe('unsupported algorithms', function () {
    it('rejects a Data Integrity proof with another cryptosuite', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      (credential.proof as JsonObject).cryptosuite = 'ecdsa-rdfc-2019';
      const error = await expectRejection(parseCredential(credential), UnsupportedAlgorithmError);
      expect(error.shortMessage).to.contain('ecdsa-rdfc-2019');
    });

    it('rejects an unknown proof type', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      (credential.proof as JsonObject).type = 'JsonWebSignature2020';
      const error = await expectRejection(parseCredential(credential), UnsupportedAlgorithmError);
      expect(error.shortMessage).to.contain('JsonWebSignature2020');
    });

    it('rejects an eddsa-rdfc-2022 proof that names a P-256 key', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      (credential.proof as JsonObject).verificationMethod = p256Key.verificationMethod;
      const error = await expectRejection(parseCredential(credential), UnsupportedAlgorithmError);
      expect(error.shortMessage).to.contain('P-256');
    });

    it('rejects an HMAC-signed VC-JWT (HS256)', async function () {
      const token = await new CompactSign(Buffer.from(JSON.stringify(unsignedFor('vc-jwt'))))
        .setProtectedHeader({ alg: 'HS256', kid: edKey.verificationMethod })
        .sign(new Uint8Array(32).fill(7));
      const result = await verifyCredential({ credential: token, now: NOW });
      expect(result.error).to.be.instanceOf(UnsupportedAlgorithmError);
      expect(result.error?.shortMessage).to.contain('HS256');
    });

    it('rejects an unsecured VC-JWT (alg none)', async function () {
      const token = `${encodeJson({ alg: 'none', kid: edKey.verificationMethod })}.${encodeJson(unsignedFor('vc-jwt'))}.`;
      const result = await verifyCredential({ credential: token, now: NOW });
      expect(result.error).to.be.instanceOf(UnsupportedAlgorithmError);
      expect(result.error?.shortMessage).to.contain('"none"');
    });

    it('rejects ES256 claimed for an Ed25519 key', async function () {
      const token = (await signed('vc-jwt', edKey)) as string;
      const header = { ...decodeJsonPart(token, 0), alg: 'ES256' };
      const result = await verifyCredential({ credential: replaceJwsPart(token, 0, encodeJson(header)), now: NOW });
      expect(result.error).to.be.instanceOf(UnsupportedAlgorithmError);
      expect(result.error?.shortMessage).to.contain('Ed25519');
    });

    it('rejects EdDSA claimed for a P-256 key', async function () {
      const token = (await signed('ob2-jws', p256Key)) as string;
      const header = { ...decodeJsonPart(token, 0), alg: 'EdDSA' };
      const result = await verifyCredential({ credential: replaceJwsPart(token, 0, encodeJson(header)), now: NOW });
      expect(result.error).to.be.instanceOf(UnsupportedAlgorithmError);
      expect(result.error?.shortMessage).to.contain('P-256');
    });
  });
});
