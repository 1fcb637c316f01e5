import { expect } from 'chai';
import { CONTEXTS, documentLoader, isKnownContext, OB3_CONTEXT_URLS, UnknownContextError } from '../../service/credentials';
import { edKey, expectRejection } from './fixtures';

const REQUIRED = [
  'https://www.w3.org/2018/credentials/v1',
  'https://www.w3.org/ns/credentials/v2',
  'https://w3id.org/security/data-integrity/v2',
  'https://w3id.org/security/multikey/v1',
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/suites/ed25519-2020/v1',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
];

describe('credentials: offline document loader', function () {
  it('holds the VC, Data Integrity, Multikey, DID, Ed25519Signature2020 and OB 3.0.0-3.0.3 contexts', async function () {
    for (const url of REQUIRED) {
      expect(isKnownContext(url), url).to.equal(true);
      const { document, documentUrl, contextUrl } = await documentLoader(url);
      expect(documentUrl).to.equal(url);
      expect(contextUrl).to.equal(null);
      expect(document).to.have.property('@context');
    }
    expect(OB3_CONTEXT_URLS).to.have.length(4);
  });

  it('keys only by URL (the OB package also names one context "OBv3_beta")', function () {
    for (const url of CONTEXTS.keys()) expect(url).to.match(/^https?:\/\//);
  });

  it('resolves did:key documents and verification methods locally', async function () {
    const did = await documentLoader(edKey.did);
    expect((did.document as { id: string }).id).to.equal(edKey.did);
    const method = await documentLoader(edKey.verificationMethod);
    expect(method.document).to.include({ type: 'Multikey', publicKeyMultibase: edKey.publicKeyMultibase });
  });

  for (const url of [
    'https://example.org/contexts/other.jsonld',
    'http://www.w3.org/2018/credentials/v1',
    'https://w3id.org/openbadges/v2',
    'did:web:school.example',
  ]) {
    it(`fails ${url} with UnknownContextError naming it`, async function () {
      const error = await expectRejection(documentLoader(url), UnknownContextError);
      expect(error.shortMessage).to.contain(`"${url}"`);
      expect(error.shortMessage).to.contain('never fetched');
    });
  }
});
