/**
 * Both Data Integrity suites sign and verify through the shape-cached canonicaliser, and their proofs are the
 * reference path's: a proof made by one path verifies on the other, and a changed field fails on both.
 */
import { expect } from 'chai';
import { useLinkedDataCanonicalisation, type LinkedDataFormat } from '../../service/credentials/data-integrity';
import { resetShapeCache, shapeCacheCounts } from '../../service/credentials/rdf-fast-path/shape-cached-canonicaliser';
import { verifyCredential, type JsonObject } from '../../service/credentials';
import { NOW, signed } from './fixtures';

describe('credentials: Data Integrity suites on the shape-cached canonicaliser', function () {
  this.timeout(120_000);
  afterEach(function () {
    useLinkedDataCanonicalisation('shape-cached');
  });

  for (const format of ['data-integrity', 'ed25519-signature-2020'] as LinkedDataFormat[]) {
    describe(format, function () {
      it('verifies through the shape cache (document and proof options), not the reference path', async function () {
        const credential = await signed(format);
        resetShapeCache();
        expect((await verifyCredential({ credential, now: NOW })).verified).to.equal(true);
        const counts = shapeCacheCounts();
        expect(counts.fast).to.equal(2);
        expect(Object.values(counts.reference).reduce((sum, count) => sum + count, 0)).to.equal(0);
      });

      it('with the reference canonicaliser chosen, leaves the shape cache alone', async function () {
        const credential = await signed(format);
        useLinkedDataCanonicalisation('reference');
        resetShapeCache();
        expect((await verifyCredential({ credential, now: NOW })).verified).to.equal(true);
        expect(shapeCacheCounts().fast).to.equal(0);
      });

      it('a proof signed on the shape cache verifies on the reference path, and the other way round', async function () {
        const fastSigned = await signed(format, undefined, { id: 'urn:uuid:5d0f7c1e-0000-4000-8000-000000000001' });
        useLinkedDataCanonicalisation('reference');
        const referenceSigned = await signed(format, undefined, { id: 'urn:uuid:5d0f7c1e-0000-4000-8000-000000000002' });
        expect((await verifyCredential({ credential: fastSigned, now: NOW })).verified).to.equal(true);
        useLinkedDataCanonicalisation('shape-cached');
        expect((await verifyCredential({ credential: referenceSigned, now: NOW })).verified).to.equal(true);
      });

      it('refuses a changed field on the shape cache once the shape is cached', async function () {
        const credential = (await signed(format)) as JsonObject;
        expect((await verifyCredential({ credential, now: NOW })).verified).to.equal(true);
        const changed = { ...credential, name: `${String(credential.name)} (edited)` };
        const result = await verifyCredential({ credential: changed, now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.error?.code).to.equal('SIGNATURE_INVALID');
      });
    });
  }
});
