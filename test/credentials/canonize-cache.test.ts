import { expect } from 'chai';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { createCachedCanonize } from '../../service/credentials/canonize-cache';
import { generateIssuerKey } from '../../service/credentials/keys';
import { documentLoader } from '../../service/credentials/loader';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { verifyCredential } from '../../service/credentials/verify';
import { demoBadgeInput } from '../../service/demo/demo-badge';

/** A class's badges: each earner with its own e-mail or DID, score, dates and id. */
function classBadges(count: number): JsonObject[] {
  return Array.from({ length: count }, (_, index) => {
    const input = demoBadgeInput({ issuerDid: 'did:web:school.example', observedDescriptors: 4 + (index % 7), issuedOn: new Date(Date.UTC(2026, 0, 1 + index)) });
    if (index % 2 === 0) input.recipient = { email: `earner${index}@example.org` };
    return buildAchievementCredential(input);
  });
}

describe('createCachedCanonize: one JSON-LD expansion per badge shape', function () {
  this.timeout(120_000);
  const options = { documentLoader };

  it('gives the N-Quads eddsa-rdfc-2022 gives, for every badge of a class, expanding only a few times', async function () {
    const canonize = createCachedCanonize();
    const badges = classBadges(24);
    for (const badge of badges) {
      expect(await canonize(badge, options)).to.equal(await eddsaRdfc2022.canonize(badge, options));
    }
    // Two shapes (e-mail or DID earner); per shape: the first badge, then one placeholder template checked once.
    expect(canonize.expansions).to.be.at.most(2 * 3);
  });

  it('stays exact when a value that differs is expanded by the context (a compact IRI): the template is set aside', async function () {
    const canonize = createCachedCanonize();
    const context = { ex: 'https://example.org/', name: 'https://example.org/name', link: { '@id': 'https://example.org/link', '@type': '@id' } };
    const documents = ['a', 'b', 'c', 'd'].map((suffix) => ({ '@context': context, '@id': 'https://example.org/doc', name: `doc ${suffix}`, link: `ex:${suffix}` }));
    for (const document of documents) {
      const nquads = await canonize(document, options);
      expect(nquads).to.equal(await eddsaRdfc2022.canonize(document, options));
      expect(nquads).to.contain(`<https://example.org/${document.link.slice(3)}>`);
    }
    // The first document, then the placeholder template tried and refused (2), then the full way for the other two.
    expect(canonize.expansions).to.equal(1 + 2 + 2);
  });

  it('signs Data Integrity credentials that verify, through signCredential’s canonize option', async function () {
    const canonize = createCachedCanonize();
    const key = generateIssuerKey({ type: 'Ed25519' });
    const created = new Date();
    for (const badge of classBadges(6)) {
      const signed = (await signCredential({ credential: badge, key, format: 'data-integrity', created, canonize })) as JsonObject;
      const result = await verifyCredential({ credential: signed, now: new Date('2026-06-01T00:00:00Z') });
      expect(result.verified, JSON.stringify(result.checks)).to.equal(true);
    }
  });
});
