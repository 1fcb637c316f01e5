/**
 * The shape-cached canonicaliser (service/credentials/rdf-fast-path) against the reference, jsonld.js +
 * rdf-canonize: byte-identical canonical N-Quads on every OB 3.0 vector and on generated credentials, and the
 * inputs it does not model really handed to the reference canonicaliser (counted).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import jsonld from 'jsonld';
import { documentLoader, OB3_CONTEXT_URL, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from '../../service/credentials/loader';
import {
  canonizeWithShapeCache,
  resetShapeCache,
  shapeCacheCounts,
  type CanonizeFunction,
} from '../../service/credentials/rdf-fast-path/shape-cached-canonicaliser';
import type { JsonObject } from '../../service/credentials/types';
import type { VectorFile } from '../vectors/credentials/generate';

const file = JSON.parse(readFileSync(path.join(__dirname, '..', 'vectors', 'credentials', 'vectors.json'), 'utf8')) as VectorFile;

/** What both suites run: jsonld.toRDF (safe mode, no base, i18n-datatype directions) then RDFC-1.0. */
function referenceNQuads(input: object): Promise<string> {
  return jsonld.canonize(input, { algorithm: 'RDFC-1.0', documentLoader, safe: true, base: null, rdfDirection: 'i18n-datatype' });
}

const OPTIONS = { documentLoader, base: null, safe: true };
const referenceCalls: object[] = [];
/** The shape cache over the real reference, recording every document it hands on. */
const shapeCached: CanonizeFunction = canonizeWithShapeCache(async (input) => {
  referenceCalls.push(input);
  return referenceNQuads(input);
});
/** The shape cache over a reference that must not be reached. */
const shapeCachedOnly: CanonizeFunction = canonizeWithShapeCache(async () => {
  throw new Error('the reference canonicaliser was called');
});

async function outcome(run: () => Promise<string>): Promise<string> {
  try {
    return await run();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

function withoutProof(credential: JsonObject): JsonObject {
  const { proof: _proof, ...document } = credential;
  return document;
}

/** The proof options as the suites canonicalise them: the proof without its value, under the document's context. */
function proofOptions(credential: JsonObject): JsonObject {
  const { proofValue: _value, ...proof } = credential.proof as JsonObject;
  return { '@context': credential['@context'] ?? null, ...proof };
}

describe('credentials: shape-cached canonicalisation (rdf-fast-path) equals jsonld.js + rdf-canonize', function () {
  this.timeout(300_000);
  beforeEach(function () {
    resetShapeCache();
    referenceCalls.length = 0;
  });

  describe('vectors', function () {
    const ob3 = file.credentials.filter((vector) => vector.format !== 'ob2-jws');

    it('gives the reference N-Quads for every OB 3.0 vector, document and proof options, without the reference path', async function () {
      expect(ob3.length).to.be.greaterThan(3);
      for (const vector of ob3) {
        const document = withoutProof((vector.unsigned ?? vector.artifact) as JsonObject);
        expect(await shapeCachedOnly(document, OPTIONS), vector.name).to.equal(await referenceNQuads(document));
        const artifact = vector.artifact as JsonObject;
        if (typeof artifact === 'object' && artifact.proof && !Array.isArray(artifact.proof)) {
          const options = proofOptions(artifact);
          expect(await shapeCachedOnly(options, OPTIONS), `${vector.name} proof options`).to.equal(await referenceNQuads(options));
        }
      }
      expect(shapeCacheCounts().fast).to.be.greaterThan(ob3.length);
    });

    it('fills a vector shape with other values from the template, without running jsonld.js again', async function () {
      const document = withoutProof((ob3[0]?.unsigned ?? ob3[0]?.artifact) as JsonObject);
      await shapeCachedOnly(document, OPTIONS);
      const built = shapeCacheCounts().templatesBuilt;
      const other = { ...document, id: 'urn:uuid:11111111-2222-4333-8444-555555555555', name: 'Ünïcødé "quoted" \\ name\nwith a line break 🎓' };
      expect(await shapeCachedOnly(other, OPTIONS)).to.equal(await referenceNQuads(other));
      expect(shapeCacheCounts().templatesBuilt).to.equal(built);
    });
  });

  describe('generated OB 3.0 credentials (property test)', function () {
    it('gives the reference N-Quads (or the same error) for two credentials of each generated shape', async function () {
      let reused = 0;
      await fc.assert(
        fc.asyncProperty(shapeArbitrary, valuesArbitrary, valuesArbitrary, async (shape, first, second) => {
          for (const [index, values] of [first, second].entries()) {
            const credential = generatedCredential(shape, values);
            const before = shapeCacheCounts();
            expect(await outcome(() => shapeCached(credential, OPTIONS))).to.equal(await outcome(() => referenceNQuads(credential)));
            const after = shapeCacheCounts();
            if (index === 1 && after.fast > before.fast && after.templatesBuilt === before.templatesBuilt) reused++;
          }
        }),
        { numRuns: 40 },
      );
      // the property must exercise filled templates, not only first expansions and the reference path
      expect(reused).to.be.greaterThan(10);
    });
  });

  describe('what the fast path does not model takes the reference path', function () {
    const base = (): JsonObject => withoutProof(file.credentials[0]?.artifact as JsonObject);

    async function expectReference(document: JsonObject, reason: keyof ReturnType<typeof shapeCacheCounts>['reference']) {
      const before = shapeCacheCounts().reference[reason];
      const calls = referenceCalls.length;
      expect(await outcome(() => shapeCached(document, OPTIONS))).to.equal(await outcome(() => referenceNQuads(document)));
      expect(shapeCacheCounts().reference[reason], reason).to.equal(before + 1);
      expect(referenceCalls.length).to.equal(calls + 1);
    }

    it('an unknown context', async function () {
      await expectReference({ ...base(), '@context': [VC_V2_CONTEXT_URL, 'https://contexts.example/unknown/v1'] }, 'context');
    });

    it('an inline context (it could define a @vocab or redefine a term)', async function () {
      const document = { ...base(), '@context': [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL, { '@vocab': 'https://vocab.example/#' }], favourite: 'blue' };
      await expectReference(document, 'context');
    });

    it('a @context below the top', async function () {
      const document = base();
      document.credentialSubject = { ...(document.credentialSubject as JsonObject), '@context': { nickname: 'https://vocab.example/#nickname' }, nickname: 'Ada' };
      await expectReference(document, 'context');
    });

    it('a protected-term conflict between known contexts (jsonld.js refuses the shape)', async function () {
      await expectReference({ ...base(), '@context': [VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL, OB3_CONTEXT_URL] }, 'unsupported-shape');
    });

    it('a relative IRI where an IRI is expected (safe mode refuses it)', async function () {
      await expectReference({ ...base(), id: 'badges/42' }, 'unsupported-shape');
    });

    it('two embeddings of one node that would make one quad twice', async function () {
      const document = base();
      const image = { id: 'https://camera.example/badges/shared.png', type: 'Image' };
      const subject = document.credentialSubject as JsonObject;
      document.image = image;
      document.credentialSubject = { ...subject, achievement: { ...(subject.achievement as JsonObject), image } };
      await expectReference(document, 'merged-nodes');
    });

    it('options the suites never pass (skipExpansion, a base IRI)', async function () {
      const document = base();
      const before = shapeCacheCounts().reference.options;
      expect(await shapeCached(document, { ...OPTIONS, skipExpansion: true })).to.equal(await referenceNQuads(document));
      expect(await shapeCached(document, { ...OPTIONS, base: 'https://base.example/' })).to.equal(await referenceNQuads(document));
      expect(shapeCacheCounts().reference.options).to.equal(before + 2);
    });

    it('keeps a value verbatim where jsonld.js reads it (a term in an @vocab position such as proofPurpose), without the reference path', async function () {
      const options = proofOptions(file.credentials[0]?.artifact as JsonObject);
      for (const proofPurpose of ['assertionMethod', 'authentication', 'https://purposes.example/#attest']) {
        const variant = { ...options, proofPurpose };
        expect(await shapeCachedOnly(variant, OPTIONS), proofPurpose).to.equal(await referenceNQuads(variant));
      }
      // 'assertionMethod' and 'authentication' each need their own template; the absolute IRI fills a hole
      expect(shapeCacheCounts().templatesBuilt).to.equal(3);
    });
  });
});

/** Which optional parts a generated credential has (its shape). */
interface Shape {
  alignments: number;
  results: number;
  evidence: boolean;
  description: boolean;
  validUntil: boolean;
  tags: number;
  recipientDid: boolean;
}

const shapeArbitrary: fc.Arbitrary<Shape> = fc.record({
  alignments: fc.integer({ min: 0, max: 2 }),
  results: fc.integer({ min: 0, max: 2 }),
  evidence: fc.boolean(),
  description: fc.boolean(),
  validUntil: fc.boolean(),
  tags: fc.integer({ min: 0, max: 2 }),
  recipientDid: fc.boolean(),
});

const text = fc.string({ unit: 'grapheme', maxLength: 24 });
const iri = fc.oneof(
  fc.webUrl(),
  fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
  fc.constantFrom('did:web:school.example', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', 'ext:Level1', 'Badge'),
);
const dateTime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());

const valuesArbitrary = fc.record({
  id: iri,
  name: text,
  description: text,
  issuer: iri,
  issuerName: text,
  validFrom: dateTime,
  validUntil: dateTime,
  recipient: iri,
  achievementId: iri,
  achievementType: fc.constantFrom('Competency', 'Badge', 'ext:Skill', 'https://vocab.example/types#Skill'),
  humanCode: text,
  narrative: text,
  tags: fc.array(text, { minLength: 2, maxLength: 2 }),
  alignment: fc.array(fc.record({ targetName: text, targetUrl: fc.webUrl(), targetCode: text, targetType: fc.constantFrom('CFItem', 'ceasn:Competency', 'ext:EQFLevel') }), { minLength: 2, maxLength: 2 }),
  result: fc.array(fc.record({ value: text, achievedLevel: iri, status: fc.constantFrom('Completed', 'Enrolled', 'Failed') }), { minLength: 2, maxLength: 2 }),
  evidence: fc.record({ name: text, narrative: text, genre: text }),
});

type Values = typeof valuesArbitrary extends fc.Arbitrary<infer T> ? T : never;

function generatedCredential(shape: Shape, v: Values): JsonObject {
  const achievement: JsonObject = {
    id: v.achievementId,
    type: ['Achievement'],
    achievementType: v.achievementType,
    humanCode: v.humanCode,
    name: v.name,
    criteria: { narrative: v.narrative },
  };
  if (shape.description) achievement.description = v.description;
  if (shape.tags > 0) achievement.tag = v.tags.slice(0, shape.tags);
  if (shape.alignments > 0) achievement.alignment = v.alignment.slice(0, shape.alignments).map((entry) => ({ type: ['Alignment'], ...entry }));
  const subject: JsonObject = { type: ['AchievementSubject'], achievement };
  if (shape.recipientDid) subject.id = v.recipient;
  if (shape.results > 0) subject.result = v.result.slice(0, shape.results).map((entry) => ({ type: ['Result'], ...entry }));
  const credential: JsonObject = {
    '@context': [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL],
    id: v.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: v.name,
    issuer: { id: v.issuer, type: ['Profile'], name: v.issuerName },
    validFrom: v.validFrom,
    credentialSubject: subject,
  };
  if (shape.validUntil) credential.validUntil = v.validUntil;
  if (shape.evidence) credential.evidence = [{ type: ['Evidence'], ...v.evidence }];
  return credential;
}
