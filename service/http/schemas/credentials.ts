/**
 * Credentials and their revocation: intake's answers, status, receipts (service/http/routes/credentials.ts,
 * presenters statusJson and revocationRequestJson, merkle receiptJson).
 */
import { z } from 'zod';
import { hex32, integer, named, time } from './catalog';

export const CredentialState = named('CredentialState', z.enum(['queued', 'sealed', 'submitted', 'confirmed', 'final']));
export const BatchState = z.enum(['sealed', 'submitted', 'confirmed', 'final']);

const accepted = {
  digest: hex32,
  format: z.enum(['data-integrity', 'ed25519-signature-2020', 'vc-jwt', 'ob2-jws']),
  created: z.boolean().meta({ description: 'False when this member had already submitted it: nothing new was stored.' }),
  state: CredentialState,
};

export const AcceptedCredential = named('AcceptedCredential', z.strictObject(accepted));

export const AcceptedBulk = named(
  'AcceptedBulk',
  z.strictObject({
    count: integer,
    created: integer.meta({ description: 'How many were new.' }),
    credentials: z.array(z.strictObject({ index: integer, ...accepted })),
  }),
);

export const Receipt = named(
  'Receipt',
  z.strictObject({
    version: z.literal('badge-notary-receipt/1'),
    digest: hex32,
    leaf: hex32,
    proof: z.array(hex32),
    root: hex32,
    batch: z.strictObject({ id: z.string(), size: integer, leafIndex: integer }),
    anchor: z.strictObject({
      chain: z.string().meta({ description: 'CAIP-2' }),
      registry: z.string().meta({ description: 'CAIP-10' }),
      transactionHash: hex32,
      blockNumber: integer,
      blockTime: time,
      blockTimestamp: integer,
      memberId: integer,
    }),
  }),
  'badge-notary-receipt/1 (docs/formats.md).',
);

export const CredentialStatus = named(
  'CredentialStatus',
  z.strictObject({
    digest: hex32,
    state: CredentialState,
    receivedAt: time,
    batch: z
      .strictObject({
        id: integer,
        root: hex32,
        size: integer,
        leafIndex: integer,
        state: BatchState,
        sealedAt: time,
        transactionHash: hex32.nullable(),
        blockNumber: integer.nullable(),
        lastError: z.string().nullable(),
      })
      .nullable(),
    receipt: Receipt.optional().meta({ description: 'Once anchored (confirmed or final).' }),
  }),
);

export const RevocationRequest = named(
  'RevocationRequest',
  z.strictObject({
    id: integer,
    memberId: integer,
    digests: z.array(hex32),
    reason: integer,
    reasonText: z.string(),
    state: z.enum(['pending', 'submitted', 'mined', 'failed']),
    transactionHash: hex32.nullable(),
    blockNumber: integer.nullable(),
    requestedAt: time,
    requestedBy: z.string(),
    error: z.string().nullable(),
  }),
);

export const RevocationAnswer = named('RevocationAnswer', z.strictObject({ revocation: RevocationRequest }));

export const RevocationPage = named('RevocationPage', z.strictObject({ revocations: z.array(RevocationRequest), next: integer.nullable() }));

export const RevocationStatus = named(
  'RevocationStatus',
  z.strictObject({
    digest: hex32,
    issuerId: integer.nullable(),
    revoked: z.boolean().meta({ description: 'Revoked by its issuer (by any member when this service does not know the issuer).' }),
    revocations: z.array(
      z.strictObject({
        memberId: integer,
        revokedAt: time,
        reason: integer,
        reasonText: z.string(),
        transactionHash: hex32.nullable(),
        blockNumber: integer.nullable(),
        source: z.enum(['mirror', 'chain']),
      }),
    ),
    requests: z.array(
      z.strictObject({ id: integer, state: RevocationRequest.shape.state, transactionHash: hex32.nullable(), requestedAt: time }),
    ),
  }),
);
