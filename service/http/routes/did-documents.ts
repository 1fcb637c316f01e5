/**
 * A member's DID document (did:web), generated from the registry mirror: what the member hosts at
 * /.well-known/did.json so that verifiers not written here accept its credentials (docs/credentials.md).
 * Every key the member registered with registerPublicKey is listed from the mirror (SigningKeyPublished); a key
 * registered by its hash only can be named in the request (`key`, repeated, optional), and must be registered to
 * the member. A key intake takes signatures from now is an assertionMethod (valid, allowing a chain clock up to
 * KEY_CLOCK_SKEW_SECONDS ahead of this one, as intake does); a revoked, expired or later one is a method only.
 */
import type { Request, Response } from 'express';
import {
  keyHashOf,
  memberDidDocument,
  publicKeyFromMulticodecHex,
  publicKeyOf,
  type MemberDocumentKey,
  type PublicKeyInfo,
} from '../../credentials';
import { keyProblem } from '../../notary';
import type { Member, SigningKey } from '../../registry';
import { badRequest, notFound } from '../errors';
import { idParam, type Route, type RouteContext } from './route';

export const DID_JSON_CONTENT_TYPE = 'application/did+json';

export function didDocumentRoutes(context: RouteContext): Route[] {
  const { mirror, rateLimits } = context;
  const serve = (req: Request, res: Response, member: Member) => {
    const now = Math.floor(context.clock() / 1000);
    const documentKey = (key: PublicKeyInfo, registered: SigningKey): MemberDocumentKey => ({
      key,
      // The keys intake takes signatures from now, with the same allowance for a chain clock ahead of this one.
      assertion: keyProblem(registered, member.id, now) === undefined,
    });
    const published = mirror.keysOf(member.id).filter((key) => key.publicKey !== undefined);
    const keys = published.map((registered) => documentKey(publicKeyFromMulticodecHex(registered.publicKey!), registered));
    for (const key of requestedKeys(req)) {
      const registered = mirror.key(key.keyHash);
      if (!registered || registered.memberId !== member.id) {
        throw badRequest(`key ${key.key.multibase} (key hash ${key.keyHash}) is not registered to member ${member.id}`, 'key');
      }
      if (registered.publicKey === undefined) keys.push(documentKey(key.key, registered));
    }
    res.type(DID_JSON_CONTENT_TYPE).send(JSON.stringify(memberDidDocument(member.did, keys)));
  };
  return [
    {
      method: 'get',
      path: '/v1/members/:id/did.json',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const id = idParam(req.params.id, 'id');
          const member = mirror.member(id);
          if (!member) throw notFound(`the registry mirror has no member ${id}`);
          serve(req, res, member);
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/members/by-did/:did/did.json',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const did = String(req.params.did);
          const member = mirror.memberByDid(did);
          if (!member) throw notFound(`the registry mirror has no member with DID ${did}`);
          serve(req, res, member);
        },
      ],
    },
  ];
}

/**
 * The optional `key` query parameters: keys registered by hash only (registerKey), whose public key the registry
 * never saw; a did:key, a Multikey value or a JWK, as `key add` takes them.
 */
function requestedKeys(req: Request): { key: PublicKeyInfo; keyHash: string }[] {
  const raw = req.query.key;
  const texts = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (texts.some((text) => typeof text !== 'string' || text === '')) {
    throw badRequest('key=... names a public key registered by hash only (a did:key, Multikey or JWK; repeat it)', 'key');
  }
  return (texts as string[]).map((text) => {
    let key: PublicKeyInfo;
    try {
      key = publicKeyOf(text);
    } catch (cause) {
      throw badRequest(`"${text.slice(0, 80)}" is not a key: ${(cause as Error).message}`, 'key');
    }
    return { key, keyHash: keyHashOf(key) };
  });
}
