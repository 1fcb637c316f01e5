/**
 * This service's batches, and the members of the network from the registry mirror (service/http/routes/registry.ts,
 * presenters batchJson, anchorTransactionJson, memberJson, keyJson, endorsementJson).
 */
import { z } from 'zod';
import { ENDORSEMENT_KINDS, ROLES, STATUSES } from '../../registry';
import { BatchState } from './credentials';
import { hex32, integer, named, time } from './catalog';

export const Batch = named(
  'Batch',
  z.strictObject({
    id: integer,
    root: hex32,
    size: integer,
    state: BatchState,
    sealedAt: time,
    stateChangedAt: time,
    transactionHash: hex32.nullable(),
    blockNumber: integer.nullable(),
    blockHash: hex32.nullable(),
    anchoredAt: time.nullable(),
    anchoredBy: integer.nullable(),
    attempts: integer,
    lastError: z.string().nullable(),
  }),
);

export const AnchorTransaction = named(
  'AnchorTransaction',
  z.strictObject({ transactionHash: hex32, nonce: integer, sentAt: time, outcome: z.enum(['mined', 'dropped', 'reorged', 'failed', 'replaced']).nullable() }),
);

export const BatchPage = named('BatchPage', z.strictObject({ batches: z.array(Batch), next: integer.nullable() }));

export const BatchDetail = named('BatchDetail', z.strictObject({ batch: Batch, transactions: z.array(AnchorTransaction) }));

/** `none` stands for a value the registry's enum does not have (service/registry roleName, statusName). */
const role = z.enum(ROLES);
const status = z.enum(STATUSES);

export const Member = named(
  'Member',
  z.strictObject({
    id: integer,
    did: z.string(),
    controller: z.string(),
    role,
    status,
    statusSince: time,
    metadataURI: z.string(),
    metadataHash: hex32,
  }),
);

export const Key = named(
  'Key',
  z.strictObject({
    keyHash: hex32,
    validFrom: time,
    validUntil: time.nullable(),
    revoked: z.boolean(),
    compromisedAt: time.nullable(),
    validNow: z.boolean(),
  }),
);

export const Endorsement = named(
  'Endorsement',
  z.strictObject({
    endorser: integer,
    kind: z.union([z.enum(ENDORSEMENT_KINDS), z.string().regex(/^kind-\d+$/).meta({ description: 'A kind this service does not know, by its number.' })]),
    subject: hex32,
    subjectMember: integer.optional().meta({ description: 'When the kind is member: the subject as a member id.' }),
    claimURI: z.string(),
    since: time,
  }),
);

export const MemberDetail = named(
  'MemberDetail',
  Member.extend({
    statusHistory: z.array(z.strictObject({ since: time, status })),
    keys: z.array(Key),
    notaries: z.array(z.string()).meta({ description: 'Accounts that anchor (and may revoke) for the member.' }),
    revokers: z.array(z.string()).meta({ description: 'Other accounts the member lets revoke its credentials.' }),
    endorsements: z.strictObject({ given: z.array(Endorsement), received: z.array(Endorsement) }),
  }),
);

const asOfBlock = integer.nullable().meta({ description: 'The last block the registry mirror holds; null before the indexer ran.' });

export const MemberList = named('MemberList', z.strictObject({ asOfBlock, members: z.array(Member) }));

export const MemberAnswer = named('MemberAnswer', z.strictObject({ asOfBlock, member: MemberDetail }));
