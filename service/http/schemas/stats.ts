/** GET /v1/stats: the network dashboard's figures (service/http/stats-presenter.ts, service/stats). */
import { z } from 'zod';
import { AdoptedBadgeClass } from './badge-classes';
import { STATUSES } from '../../registry';
import { hex32, integer, named, time } from './catalog';
import { BatchState } from './credentials';
import { Member } from './network';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const day = z.iso.date();
const wei = z.string().regex(/^[0-9]+$/);
const count = integer.min(0);

const PeriodSeries = named(
  'StatsPeriodSeries',
  z.strictObject({
    byMember: z.array(z.strictObject({ memberId: integer, counts: z.array(count), total: count })),
    counts: z.array(count),
    total: count,
  }),
  'Counts per member and their sums, each array aligned with window.months.',
);

const FeeSeries = named(
  'StatsFeeSeries',
  z.strictObject({ feeWei: z.array(wei), transactions: z.array(count), totalWei: wei }),
  'Fees paid (wei, decimal) and mined anchor transactions, aligned with window.months or window.days.',
);

export const StatsMember = named(
  'StatsMember',
  z.strictObject({ ...Member.shape, statusHistory: z.array(z.strictObject({ since: time, status: z.enum(STATUSES) })) }),
);

export const StatsBatch = named(
  'StatsBatch',
  z.strictObject({
    id: integer,
    root: hex32,
    size: integer,
    state: BatchState,
    sealedAt: time,
    transactionHash: hex32.nullable(),
    blockNumber: integer.nullable(),
    anchoredAt: time.nullable(),
    anchoredBy: integer.nullable(),
    confirmations: integer.nullable().meta({ description: 'Blocks from the anchor’s to the head, both counted; null before it is mined or when the head is unknown.' }),
  }),
);

const reasonCount = { reason: integer, reasonText: z.string(), count };

export const NetworkStats = named(
  'NetworkStats',
  z.strictObject({
    generatedAt: time,
    asOfBlock: integer.nullable().meta({ description: 'The last block the registry mirror holds; null before the indexer ran.' }),
    head: integer.nullable().meta({ description: 'The chain’s head block; null when the chain did not answer.' }),
    window: z.strictObject({ months: z.array(month), days: z.array(day) }),
    members: z.array(StatsMember),
    notarised: PeriodSeries.meta({ description: 'Credentials this service notarised (batch anchored), per issuing member and month of the anchor.' }),
    anchors: PeriodSeries.meta({ description: 'Roots anchored in the registry by any notary of the network, per member and month (the mirror).' }),
    batches: z.array(StatsBatch),
    revocations: z.strictObject({
      byReason: z.array(z.strictObject(reasonCount)),
      byMember: z.array(z.strictObject({ memberId: integer, ...reasonCount })),
      total: count,
    }),
    fees: z.strictObject({ perMonth: FeeSeries, perDay: FeeSeries }),
    adoptedBadgeClasses: z
      .array(AdoptedBadgeClass)
      .nullable()
      .meta({ description: 'Badge classes with at least one adopting member, most adopters first (docs/catalogue.md); null when the deployment names no catalogue.' }),
  }),
);
