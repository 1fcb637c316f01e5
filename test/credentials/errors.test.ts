import { expect } from 'chai';
import {
  CredentialError,
  errorFromJSON,
  errorToJSON,
  ExpiredError,
  findCredentialError,
  InvalidBadgeInputError,
  InvalidKeyError,
  InvalidScoreError,
  KeyMismatchError,
  MalformedProofError,
  MissingProofError,
  NoBadgeError,
  NotJsonError,
  NotYetValidError,
  SchemaError,
  SignatureInvalidError,
  UnexpectedError,
  UnknownContextError,
  UnknownFormatError,
  UnsupportedAlgorithmError,
  UnsupportedKeyError,
} from '../../service/credentials';

const samples: CredentialError[] = [
  new NotJsonError({ reason: 'Unexpected token h' }),
  new UnknownFormatError({ reason: 'the JSON is not an object' }),
  new UnknownContextError({ url: 'https://example.org/ctx' }),
  new MissingProofError({ reason: 'no proof' }),
  new MalformedProofError({ field: 'proof.proofPurpose', reason: 'must be assertionMethod' }),
  new SignatureInvalidError({ format: 'vc-jwt', verificationMethod: 'did:key:z6Mk#z6Mk' }),
  new KeyMismatchError({ expected: 'did:key:a', actual: 'did:key:b', reason: 'another key' }),
  new UnsupportedAlgorithmError({ algorithm: 'HS256', supported: ['EdDSA', 'ES256'] }),
  new UnsupportedKeyError({ key: 'did:web:x#1', field: 'kid' }),
  new InvalidKeyError({ input: 'zabc', reason: 'bad' }),
  new SchemaError({ standard: 'OB 3.0', issues: [{ path: 'credentialSubject.achievement.criteria', problem: 'is missing' }] }),
  new NotYetValidError({ field: 'validFrom', value: '2030-01-01T00:00:00Z', now: '2025-01-01T00:00:00.000Z' }),
  new ExpiredError({ field: 'validUntil', value: '2020-01-01T00:00:00Z', now: '2025-01-01T00:00:00.000Z' }),
  new NoBadgeError({ scale: 'soft', value: 3, minimum: 4 }),
  new InvalidScoreError({ scale: 'technical', value: '101', min: 0, max: 100 }),
  new InvalidBadgeInputError({ field: 'badgeCode', reason: 'must be alphanumeric' }),
  new UnexpectedError({ during: 'a test', message: 'boom' }),
];

describe('credentials: errors', function () {
  it('has one class per code, all deriving from CredentialError and Error', function () {
    expect(new Set(samples.map((error) => error.code)).size).to.equal(samples.length);
    for (const error of samples) {
      expect(error).to.be.instanceOf(CredentialError);
      expect(error).to.be.instanceOf(Error);
      expect(error.name).to.not.equal('CredentialError');
      expect(error.message.startsWith(error.shortMessage)).to.equal(true);
    }
  });

  it('comes back from its JSON form (a worker thread, a response) as the same class with the same message', function () {
    for (const error of samples) {
      const json = JSON.parse(JSON.stringify(errorToJSON(error))) as ReturnType<typeof errorToJSON>;
      const rebuilt = errorFromJSON(json);
      expect(rebuilt.constructor, error.name).to.equal(error.constructor);
      expect(rebuilt.code).to.equal(error.code);
      expect(rebuilt.message).to.equal(error.message);
      expect(rebuilt.params).to.deep.equal(error.params);
    }
  });

  it('keeps the cause', function () {
    const cause = new Error('inner');
    expect(new SignatureInvalidError({ format: 'ob2-jws', verificationMethod: 'x' }, { cause }).cause).to.equal(cause);
  });

  it('SchemaError exposes the first path and every issue', function () {
    const error = new SchemaError({
      standard: 'OB 3.0',
      issues: [
        { path: 'name', problem: 'is missing' },
        { path: 'issuer.type', problem: 'must include Profile' },
      ],
    });
    expect(error.path).to.equal('name');
    expect(error.shortMessage).to.equal('Not a valid OB 3.0: name is missing (and 1 more)');
    expect(error.details).to.equal('name is missing; issuer.type must include Profile');
  });

  it('findCredentialError finds a typed error wrapped the way jsonld and jsonld-signatures wrap it', function () {
    const typed = new UnknownContextError({ url: 'https://example.org/ctx' });
    const wrapped = { name: 'VerificationError', errors: [{ name: 'jsonld.InvalidUrl', details: { cause: typed } }] };
    expect(findCredentialError(wrapped)).to.equal(typed);
    expect(findCredentialError(new Error('plain', { cause: typed }))).to.equal(typed);
    expect(findCredentialError(new Error('plain'))).to.equal(undefined);
  });
});
