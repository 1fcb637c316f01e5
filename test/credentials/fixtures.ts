/**
 * Shared inputs of the credential tests: fixed keys from fixed seeds, a badge of the seeds' metadata, a clock,
 * and helpers that sign a badge in every format.
 */
import { expect } from 'chai';
import { rejects } from '../support/rejects';
import {
  buildAchievementCredential,
  buildOb2Assertion,
  CredentialError,
  generateIssuerKey,
  signCredential,
  type BadgeInput,
  type CredentialFormat,
  type IssuerKey,
  type JsonObject,
} from '../../service/credentials';

export const ED25519_SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
export const P256_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);
export const OTHER_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);

export const edKey: IssuerKey = generateIssuerKey({ type: 'Ed25519', seed: ED25519_SEED });
export const p256Key: IssuerKey = generateIssuerKey({ type: 'P-256', seed: P256_SEED });
export const otherEdKey: IssuerKey = generateIssuerKey({ type: 'Ed25519', seed: OTHER_SEED });

/** A time inside every fixture's validity window. */
export const NOW = new Date('2025-01-15T12:00:00Z');
/** The proofs' `created` time. */
export const CREATED = new Date('2024-05-01T09:00:00Z');

/** A LifeComp soft-skill badge, as an issuing member would describe it. */
export function badgeInput(overrides: Partial<BadgeInput> = {}): BadgeInput {
  return {
    id: 'urn:uuid:0b0e4b5c-6f0e-4a8e-9a47-3d1c5c0e7a11',
    badgeCode: 'LC-P1-1',
    name: 'Self-regulation',
    description: 'Awareness and management of emotions, thoughts and behaviour (LifeComp P1).',
    image: { id: 'https://school.example/badges/lc-p1-1.png', caption: 'Self-regulation badge' },
    issuer: { did: 'did:web:school.example', name: 'Scuola Esempio', email: 'badges@school.example', url: 'https://school.example' },
    skill: { kind: 'soft', area: 'Personal', competence: 'Self-regulation', observedDescriptors: 8 },
    criteria: { narrative: 'Observed by an independent assessor during 40 hours of volunteering.' },
    evidence: [{ name: 'Assessor report', narrative: 'Eight of ten descriptors observed.', genre: 'Assessment' }],
    alignments: [
      {
        framework: 'LifeComp',
        code: 'P1.1',
        name: 'Awareness and expression of personal emotions, thoughts, values and behaviour',
        url: 'https://publications.jrc.ec.europa.eu/repository/handle/JRC120911',
      },
    ],
    recipient: { email: 'earner@example.org', salt: 'c0ffee15' },
    issuedOn: '2024-05-01T00:00:00Z',
    examDate: '2024-04-20',
    validUntil: '2029-05-01T00:00:00Z',
    ...overrides,
  };
}

/** The unsigned credential for a format: OB 3.0 on VC 2.0, VC 1.1 for Ed25519Signature2020, OB 2.0 for ob2-jws. */
export function unsignedFor(format: CredentialFormat, overrides: Partial<BadgeInput> = {}): JsonObject {
  if (format === 'ob2-jws') return buildOb2Assertion(badgeInput(overrides));
  if (format === 'ed25519-signature-2020') return buildAchievementCredential(badgeInput({ vcVersion: '1.1', ...overrides }));
  return buildAchievementCredential(badgeInput(overrides));
}

/** Signs the fixture badge in `format` with `key`. */
export async function signed(format: CredentialFormat, key: IssuerKey = edKey, overrides: Partial<BadgeInput> = {}): Promise<string | JsonObject> {
  return signCredential({ credential: unsignedFor(format, overrides), key, format, created: CREATED });
}

/** Replaces one part of a compact JWS: 0 header, 1 payload, 2 signature. */
export function replaceJwsPart(compact: string, index: 0 | 1 | 2, part: string): string {
  const parts = compact.split('.');
  parts[index] = part;
  return parts.join('.');
}

export function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeJsonPart(compact: string, index: 0 | 1): JsonObject {
  return JSON.parse(Buffer.from(compact.split('.')[index] as string, 'base64url').toString('utf8')) as JsonObject;
}

/** Awaits `promise` and checks that it rejects with an error of `ErrorClass` (and code); returns the error. */
export function expectRejection<E extends CredentialError>(promise: Promise<unknown>, ErrorClass: new (...args: never[]) => E): Promise<E> {
  return rejects(promise, ErrorClass);
}

/** Runs `action` and checks that it throws an error of `ErrorClass`; returns the error. */
export function expectThrow<E extends CredentialError>(action: () => unknown, ErrorClass: new (...args: never[]) => E): E {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a throw').to.be.instanceOf(ErrorClass);
  return caught as E;
}
