/**
 * Batching and anchoring: the one module that wires store, merkle and chain together (DESIGN.md, data flow
 * steps 2 to 4). The batcher seals the intake queue into trees, the anchorer takes each batch through
 * sealed -> submitted -> confirmed -> final, and the receipt lookup answers per credential digest.
 */
export { Batcher, type BatcherOptions } from './batcher';
export { Anchorer, type AnchorerOptions, type AnchorFeeOptions, type AnchorTickReport } from './anchorer';
export {
  StoredReceiptLookup,
  UnboundStoreError,
  type CredentialBatchView,
  type CredentialStatus,
  type StoredReceiptLookupOptions,
} from './receipt-lookup';
export type { Clock } from '../clock';
export { Loop } from './loop';
export { NotaryService, type LeadershipGate, type NotaryMetrics, type NotaryServiceOptions } from './notary-service';
export {
  NotaryStats,
  feeWaitLogger,
  notifyAll,
  type AnchorCostEvent,
  type AnchorLatencyEvent,
  type FeeWaitEvent,
  type FailureEvent,
  type NotaryObserver,
  type NotaryStatsSnapshot,
  type SealEvent,
  type TransitionEvent,
} from './observer';
