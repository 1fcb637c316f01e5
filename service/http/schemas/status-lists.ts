/** GET /v1/status-lists/{member}/{list} (service/http/routes/status-lists.ts; docs/status-list.md). */
import { z } from 'zod';
import { integer, named, time } from './catalog';

export const StatusListCredential = named(
  'StatusListCredential',
  z.strictObject({
    '@context': z.tuple([z.literal('https://www.w3.org/ns/credentials/v2'), z.object({ registryBlock: z.object({}).passthrough() })]),
    id: z.url().meta({ description: 'The URL the list was asked at: what the credentials’ statusListCredential names.' }),
    type: z.tuple([z.literal('VerifiableCredential'), z.literal('BitstringStatusListCredential')]),
    issuer: z.string().regex(/^did:key:z/).meta({ description: 'The notary’s status-list key (a did:key), not the member: docs/status-list.md says why.' }),
    name: z.string(),
    description: z.string(),
    validUntil: time.meta({ description: 'A day after signing: a copy served again later expires (the list is rebuilt on every request).' }),
    registryBlock: z
      .strictObject({
        registry: z.string().meta({ description: 'CAIP-10 of the registry.' }),
        number: integer,
        hash: z.string().regex(/^0x[0-9a-f]{64}$/),
        time,
      })
      .meta({ description: 'The registry block the list was rebuilt from: every revocation mined up to it is in the list.' }),
    credentialSubject: z.strictObject({
      id: z.string(),
      type: z.literal('BitstringStatusList'),
      statusPurpose: z.literal('revocation'),
      encodedList: z.string().regex(/^u[A-Za-z0-9_-]+$/).meta({ description: 'GZIP-compressed bitstring of 131,072 entries, multibase base64url (u).' }),
    }),
    proof: z
      .object({ type: z.literal('DataIntegrityProof'), cryptosuite: z.literal('eddsa-rdfc-2022'), verificationMethod: z.string(), proofValue: z.string() })
      .passthrough(),
  }),
  'A W3C BitstringStatusListCredential (VC 2.0): a member’s revocations mirrored from the registry, signed by the notary.',
);
