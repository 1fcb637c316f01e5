import type { SigningKey } from '../registry';

/**
 * Everything the chain says about one credential: the fields of the registry's CredentialCheck
 * (contracts/IConfederationRegistry.sol), numbers as bigints.
 */
export interface CredentialCheck {
  rootAnchored: boolean;
  anchoredAt: bigint;
  anchoredBy: bigint;
  issuerId: bigint;
  issuerRole: bigint;
  issuerStatusNow: bigint;
  issuerActiveAtAnchor: boolean;
  keyRegistered: boolean;
  keyValidAtAnchor: boolean;
  /** digest -> leaf -> proof leads to the root: checked by the registry, or off-chain in a bulk check (see below). */
  proofValid: boolean;
  revoked: boolean;
  revokedAt: bigint;
  revocationReason: bigint;
}

export interface CheckCredentialQuery {
  issuerDidHash: string;
  keyHash: string;
  digest: string;
  proof: readonly string[];
  root: string;
}

/** Where a root's anchoring transaction landed, as the chain says. */
export interface AnchorLanding {
  transactionHash: string;
  blockNumber: number;
}

/**
 * What the verifier asks of the chain: plain JSON-RPC calls to one registry, no explorer, no API key. A reader
 * serves ONE verification run (one credential or thousands): it remembers the chain id, the head and the
 * landings it has looked up, so a bulk run makes few round trips. Take a new reader for each run, so that
 * confirmations are counted from a fresh head.
 */
export interface RegistryReader {
  readonly registry: string;
  chainId(): Promise<number>;
  headBlockNumber(): Promise<number>;
  /** The registry's one-call verification view. */
  checkCredential(query: CheckCredentialQuery): Promise<CredentialCheck>;
  /** The transaction's block, when it is mined and it anchored `root` in this registry. */
  landingOfTransaction(transactionHash: string, root: string): Promise<AnchorLanding | undefined>;
  /** Where `root` was anchored, found from the registry's RootAnchored event. */
  findLanding(root: string): Promise<AnchorLanding | undefined>;
  /** A signing key's record (memberId 0 when unknown); times in unix seconds. */
  getKey(keyHash: string): Promise<SigningKey>;
  /** Since when (unix seconds) member `memberId` has its present status. */
  memberStatusSince(memberId: number): Promise<number>;
}
