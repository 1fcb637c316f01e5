// Hostile inputs that need signing, made once per suite: credentials with a valid structure but a wrong
// signature (or a right signature by the wrong key), and bearer tokens that look right but are not.
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { generateIssuerKey } from '../../service/credentials/keys';
import type { JsonObject } from '../../service/credentials/types';
import { apiJwt, issue, issueJwt, NGO, SCHOOL, type Env } from '../http/helpers';

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** Flips one character of a base64url text (not the last one, whose low bits may be padding). */
function flip(text: string, at: number): string {
  const index = Math.max(0, Math.min(text.length - 2, at));
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/**
 * Credentials of the school (member 1) that must never be taken: tampered signatures and payloads, a key
 * the registry does not know, the NGO's key claiming to be the school, proofs altered after signing.
 */
export async function forgedCredentials(env: Env): Promise<{ label: string; credential: string | JsonObject }[]> {
  const { schoolKey, ngoKey } = env.chain;
  const jwt = await issueJwt(schoolKey, SCHOOL);
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const otherClaims = b64url(Buffer.from(JSON.stringify({ ...claims, name: 'A badge the school never signed' })));
  const stranger = generateIssuerKey({ type: 'Ed25519' });
  const ngoAsSchool = await issueJwt(ngoKey, SCHOOL);
  const json = (await issue(schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
  const proof = json.proof as JsonObject;
  const proofValue = String(proof.proofValue);
  return [
    { label: 'jwt: a flipped signature character', credential: `${header}.${payload}.${flip(signature, 10)}` },
    { label: 'jwt: a signature of all zeroes', credential: `${header}.${payload}.${b64url(Buffer.alloc(64))}` },
    { label: 'jwt: the claims changed after signing', credential: `${header}.${otherClaims}.${signature}` },
    { label: 'jwt: no signature', credential: `${header}.${payload}.` },
    { label: 'jwt: alg none', credential: `${b64url(Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })))}.${payload}.` },
    { label: 'jwt: signed by a key the registry does not know', credential: await issueJwt(stranger, SCHOOL) },
    { label: 'jwt: signed by the NGO’s key, claiming the school', credential: ngoAsSchool },
    { label: 'jwt: the NGO’s own credential (a foreign issuer)', credential: await issueJwt(ngoKey, NGO) },
    { label: 'json: a flipped proofValue character', credential: { ...json, proof: { ...proof, proofValue: `${proofValue.slice(0, 12)}${proofValue[12] === '2' ? '3' : '2'}${proofValue.slice(13)}` } } },
    { label: 'json: the name changed after signing', credential: { ...json, name: 'Forged' } },
    { label: 'json: the proof removed', credential: Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'proof')) as JsonObject },
    { label: 'json: the proof’s verification method swapped for the NGO key', credential: { ...json, proof: { ...proof, verificationMethod: ngoKey.verificationMethod } } },
  ];
}

/**
 * Authorization headers that must all be 401: no or malformed headers, unknown keys, known clients with a
 * wrong secret, JWTs with a wrong signature, the wrong audience, too long a life, expired, unregistered keys.
 */
export async function forgedAuthorizations(env: Env): Promise<{ label: string; header: string | undefined }[]> {
  const now = env.now();
  const { schoolKey, schoolJwtKey, ngoKey } = env.chain;
  const client = (await env.store.clients.listForMember(1)).find((c) => c.role === 'admin')!;
  const good = await apiJwt(schoolKey, SCHOOL, now);
  const [header, payload, signature] = good.split('.');
  const stranger = generateIssuerKey({ type: 'Ed25519' });
  const wrongKeySameKid = await new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', kid: schoolKey.verificationMethod })
    .setIssuer(SCHOOL)
    .setAudience('badge-notary')
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + 300)
    .sign(stranger.privateKey);
  const bearer = (token: string) => `Bearer ${token}`;
  return [
    { label: 'no header', header: undefined },
    { label: 'empty', header: '' },
    { label: 'the scheme alone', header: 'Bearer' },
    { label: 'Basic', header: 'Basic dXNlcjpwYXNzd29yZA==' },
    { label: 'two tokens', header: `Bearer ${good} ${good}` },
    { label: 'an unknown client', header: bearer(`bnk_${randomBytes(8).toString('hex')}_${b64url(randomBytes(32))}`) },
    { label: 'a known client, a wrong secret', header: bearer(`bnk_${client.id}_${b64url(randomBytes(32))}`) },
    { label: 'a known client, a short secret', header: bearer(`bnk_${client.id}_x`) },
    { label: 'a known client id in upper case', header: bearer(`bnk_${client.id.toUpperCase()}_${b64url(randomBytes(32))}`) },
    { label: 'jwt: a flipped signature character', header: bearer(`${header}.${payload}.${flip(signature, 20)}`) },
    { label: 'jwt: signed by another key under the school’s kid', header: bearer(wrongKeySameKid) },
    { label: 'jwt: alg none', header: bearer(`${b64url(Buffer.from(JSON.stringify({ alg: 'none', kid: schoolKey.verificationMethod })))}.${payload}.`) },
    { label: 'jwt: alg HS256 keyed by the public key', header: bearer(`${b64url(Buffer.from(JSON.stringify({ alg: 'HS256', kid: schoolKey.verificationMethod })))}.${payload}.${signature}`) },
    { label: 'jwt: a key the registry does not know', header: bearer(await apiJwt(stranger, SCHOOL, now)) },
    { label: 'jwt: the NGO’s key claiming the school', header: bearer(await apiJwt(ngoKey, SCHOOL, now)) },
    { label: 'jwt: the wrong audience', header: bearer(await apiJwt(schoolKey, SCHOOL, now, { audience: 'someone-else' })) },
    { label: 'jwt: a life of a day', header: bearer(await apiJwt(schoolJwtKey, SCHOOL, now, { lifetimeSeconds: 86_400 })) },
    { label: 'jwt: expired an hour ago', header: bearer(await apiJwt(schoolKey, SCHOOL, now, { issuedAgoSeconds: 3_900 })) },
    { label: 'jwt: an unknown issuer', header: bearer(await apiJwt(schoolKey, 'did:web:nobody.example', now)) },
    { label: 'jwt: three random segments', header: bearer(`${b64url(randomBytes(20))}.${b64url(randomBytes(40))}.${b64url(randomBytes(64))}`) },
    { label: 'jwt: a header that is JSON but no object', header: bearer(`${b64url(Buffer.from('[1,2]'))}.${payload}.${signature}`) },
  ];
}
