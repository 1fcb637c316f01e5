/**
 * Writes vectors.json: fixed signed credentials with their digest and key hash, for other implementations to
 * reproduce (docs/credentials.md). Ed25519 signatures are deterministic, so those artifacts follow from the seed;
 * ECDSA (ES256) is not, so its artifacts are stored as first signed.
 *
 *   npx ts-node test/vectors/credentials/generate.ts          # regenerate (keeps stored ES256 artifacts)
 *
 * Loaded by mocha when the whole test folder runs: it does nothing unless run directly.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  buildAchievementCredential,
  buildOb2Assertion,
  digestInput,
  generateIssuerKey,
  parseCredential,
  signCredential,
  type BadgeInput,
  type CredentialFormat,
  type IssuerKey,
  type JsonObject,
  type JwtClaimsStyle,
} from '../../../service/credentials';

export const VECTORS_FILE = path.join(__dirname, 'vectors.json');

export interface KeyVector {
  name: string;
  type: 'Ed25519' | 'P-256';
  /** 32 bytes, hex: the Ed25519 seed or the P-256 private scalar. */
  seed: string;
  did: string;
  verificationMethod: string;
  /** The did:key multibase value after base58btc decoding: multicodec prefix || public key, hex. */
  multicodec: string;
  keyHash: string;
}

export interface CredentialVector {
  name: string;
  format: CredentialFormat;
  key: string;
  /** Whether signing `unsigned` again with the key gives `artifact` exactly (Ed25519). */
  deterministic: boolean;
  unsigned: JsonObject;
  created?: string;
  jwtStyle?: JwtClaimsStyle;
  /** A BadgeNotaryReceipt added after signing (the digest must not change). */
  receipt?: JsonObject;
  artifact: string | JsonObject;
  issuerDid: string;
  keyHash: string;
  /** The exact text whose UTF-8 bytes are hashed: the compact JWS, or the JCS form of the JSON credential. */
  digestInput: string;
  digest: string;
}

export interface VectorFile {
  version: 1;
  description: string;
  /** An instant inside every credential's validity window. */
  now: string;
  keys: KeyVector[];
  credentials: CredentialVector[];
}

const NOW = '2025-01-15T12:00:00Z';
const CREATED = '2024-05-01T09:00:00Z';

const seeds = {
  ed25519: Buffer.from('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20', 'hex'),
  p256: Buffer.from('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f', 'hex'),
};

function badge(overrides: Partial<BadgeInput> = {}): BadgeInput {
  return {
    id: 'urn:uuid:6a1f0d0e-2c1b-4f5e-8d7c-0b1a2c3d4e5f',
    badgeCode: 'MECC-C4',
    name: 'Controlli di funzionalità e manutenzione',
    description: 'Esegue i controlli di funzionalità e la manutenzione di un sistema meccatronico (competenza C4).',
    image: { id: 'https://camera.example/badges/mecc-c4.png', caption: 'Badge C4' },
    issuer: { did: 'did:web:camera.example', name: 'Camera di commercio di Esempio', email: 'certificazioni@camera.example' },
    skill: { kind: 'technical', area: 'C - Manutenzione e installazione', competence: 'C4 - Controlli di funzionalità', score: 86 },
    criteria: { narrative: 'Esame su piattaforma con punteggio di almeno 70/100, validato da una commissione.' },
    evidence: [{ name: 'Esito esame', narrative: 'Punteggio 86/100.' }],
    alignments: [{ framework: 'EQF', code: '4', name: 'EQF level 4', url: 'https://europass.europa.eu/en/description-eight-eqf-levels' }],
    recipient: { email: 'studente@example.org', salt: '5a17' },
    issuedOn: '2024-05-01T00:00:00Z',
    examDate: '2024-04-18',
    validUntil: '2034-05-01T00:00:00Z',
    ...overrides,
  };
}

async function main(): Promise<void> {
  const keys: Record<string, IssuerKey> = {
    ed25519: generateIssuerKey({ type: 'Ed25519', seed: seeds.ed25519 }),
    p256: generateIssuerKey({ type: 'P-256', seed: seeds.p256 }),
  };
  const previous: VectorFile | undefined = existsSync(VECTORS_FILE)
    ? (JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as VectorFile)
    : undefined;

  const ob3 = buildAchievementCredential(badge());
  const ob3v1 = buildAchievementCredential(badge({ vcVersion: '1.1' }));
  const ob2 = buildOb2Assertion(badge());
  const plans: Omit<CredentialVector, 'artifact' | 'issuerDid' | 'keyHash' | 'digest' | 'digestInput'>[] = [
    { name: 'ob3-data-integrity-eddsa-rdfc-2022', format: 'data-integrity', key: 'ed25519', deterministic: true, unsigned: ob3, created: CREATED },
    { name: 'ob3-vc11-ed25519-signature-2020', format: 'ed25519-signature-2020', key: 'ed25519', deterministic: true, unsigned: ob3v1, created: CREATED },
    { name: 'ob3-vc-jwt-eddsa-vc-jose-cose', format: 'vc-jwt', key: 'ed25519', deterministic: true, unsigned: ob3 },
    { name: 'ob3-vc11-vc-jwt-eddsa-vc-claim', format: 'vc-jwt', key: 'ed25519', deterministic: true, unsigned: ob3v1 },
    { name: 'ob3-vc-jwt-es256', format: 'vc-jwt', key: 'p256', deterministic: false, unsigned: ob3 },
    { name: 'ob2-jws-eddsa', format: 'ob2-jws', key: 'ed25519', deterministic: true, unsigned: ob2 },
    { name: 'ob2-jws-es256', format: 'ob2-jws', key: 'p256', deterministic: false, unsigned: ob2 },
    {
      name: 'ob3-data-integrity-with-receipt',
      format: 'data-integrity',
      key: 'ed25519',
      deterministic: true,
      unsigned: ob3,
      created: CREATED,
      receipt: { type: 'BadgeNotaryReceipt', receipt: { note: 'any receipt content: it is left out of the digest' } },
    },
  ];

  const credentials: CredentialVector[] = [];
  for (const plan of plans) {
    const key = keys[plan.key] as IssuerKey;
    const stored = previous?.credentials.find((vector) => vector.name === plan.name);
    let artifact: string | JsonObject;
    if (!plan.deterministic && stored && JSON.stringify(stored.unsigned) === JSON.stringify(plan.unsigned)) {
      artifact = stored.artifact;
    } else {
      artifact = await signCredential({
        credential: plan.unsigned,
        key,
        format: plan.format,
        created: plan.created ? new Date(plan.created) : undefined,
        jwtStyle: plan.jwtStyle,
        // these vectors keep the key id they were made with (the did:key URL), so that they stay reproducible
        verificationMethod: key.verificationMethod,
      });
    }
    if (plan.receipt && typeof artifact !== 'string') artifact = { ...artifact, proof: [artifact.proof as JsonObject, plan.receipt] };
    const parsed = await parseCredential(artifact);
    credentials.push({
      ...plan,
      artifact,
      issuerDid: parsed.issuerDid,
      keyHash: parsed.keyHash,
      digestInput: digestInput(artifact),
      digest: parsed.digest,
    });
  }

  const file: VectorFile = {
    version: 1,
    description:
      'Credential digests and key hashes (docs/credentials.md). keyHash = keccak256(multicodec); digest = keccak256(UTF-8 of digestInput). ' +
      'Regenerate with: npx ts-node test/vectors/credentials/generate.ts',
    now: NOW,
    keys: Object.entries(keys).map(([name, key]) => ({
      name,
      type: key.type,
      seed: seeds[name as keyof typeof seeds].toString('hex'),
      did: key.did,
      verificationMethod: key.verificationMethod,
      multicodec: Buffer.from(key.publicKey.multicodec).toString('hex'),
      keyHash: key.keyHash,
    })),
    credentials,
  };
  writeFileSync(VECTORS_FILE, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${credentials.length} credential vectors and ${file.keys.length} keys to ${VECTORS_FILE}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
