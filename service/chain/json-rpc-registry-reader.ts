/**
 * The verifier's RegistryReader (service/verify/registry-reader.ts) over JSON-RPC: plain calls to one registry
 * through an ethers provider, no explorer, no API key.
 */
import { Interface, type Provider } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import type { IConfederationRegistry } from '../../typechain-types/contracts/ConfederationRegistry';
import { verifyProof, type Hex } from '../merkle';
import type { SigningKey } from '../registry';
import type { AnchorLanding, CheckCredentialQuery, CredentialCheck, RegistryReader } from '../verify/registry-reader';

const registryInterface = new Interface(ConfederationRegistry__factory.abi);

/** Most credentials one checkCredentials call carries (about 60,000 gas each, well inside an eth_call's gas). */
const MAX_CHECKS_PER_CALL = 100;
/**
 * Most credentials one checkCredentialGroups call carries: a digest costs a revocation read (about 3,000 gas)
 * and each distinct (issuer, key, root) about 25,000 once, so a thousand fit in a few million gas.
 */
const MAX_GROUPED_CHECKS_PER_CALL = 1000;
/** How long checks asked for at about the same time are collected into one call, ms. */
const CHECK_WINDOW_MS = 2;

interface PendingCheck {
  query: CheckCredentialQuery;
  resolve(check: CredentialCheck): void;
  reject(error: unknown): void;
}
const ROOT_ANCHORED = registryInterface.getEvent('RootAnchored')!;

export interface JsonRpcRegistryReaderOptions {
  /**
   * Checks collected together go to the registry's checkCredentials, which also checks every Merkle proof
   * on-chain, instead of checkCredentialGroups (proofs folded here). Several times slower on a node: for
   * verifiers that want every step answered by the chain.
   */
  onChainProofs?: boolean;
  /** How long checks asked for at about the same time are collected into one call, ms (default 2). */
  checkWindowMs?: number;
  /** Most checks in one call (default 1,000 with checkCredentialGroups, 100 with checkCredentials): lower it for a node with a small eth_call gas cap. */
  maxChecksPerCall?: number;
}

/** A {@link RegistryReader} over an ethers provider. */
export class JsonRpcRegistryReader implements RegistryReader {
  private chainIdValue?: Promise<number>;
  private head?: Promise<number>;
  private readonly landings = new Map<string, Promise<AnchorLanding | undefined>>();
  private readonly contract;
  private pendingChecks: PendingCheck[] = [];
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly provider: Provider,
    readonly registry: string,
    /** The block the registry was deployed in, when known: event searches start there. */
    private readonly fromBlock = 0,
    private readonly options: JsonRpcRegistryReaderOptions = {},
  ) {
    this.contract = ConfederationRegistry__factory.connect(registry, provider);
  }

  chainId(): Promise<number> {
    this.chainIdValue ??= this.provider.getNetwork().then((network) => Number(network.chainId));
    return this.chainIdValue;
  }

  headBlockNumber(): Promise<number> {
    this.head ??= this.provider.getBlockNumber();
    return this.head;
  }

  /**
   * Checks asked for within a couple of milliseconds of each other go to the registry together. One check
   * alone is answered wholly by the registry (checkCredential). Many go in one checkCredentialGroups call per
   * thousand: the registry reads each distinct (issuer, key, root) once and one revocation per digest, and
   * the Merkle proofs are folded here, with the same sorted-pair keccak256 as the registry's MerkleProof.
   * The answer is the same either way (test/verify/registry-reader.test.ts).
   */
  checkCredential(query: CheckCredentialQuery): Promise<CredentialCheck> {
    return new Promise((resolve, reject) => {
      this.pendingChecks.push({ query, resolve, reject });
      if (this.pendingChecks.length >= this.maxChecksPerCall()) this.flushChecks();
      else this.flushTimer ??= setTimeout(() => this.flushChecks(), this.options.checkWindowMs ?? CHECK_WINDOW_MS);
    });
  }

  private maxChecksPerCall(): number {
    return this.options.maxChecksPerCall ?? (this.options.onChainProofs ? MAX_CHECKS_PER_CALL : MAX_GROUPED_CHECKS_PER_CALL);
  }

  private flushChecks(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.pendingChecks.length > 0) {
      const batch = this.pendingChecks.splice(0, this.maxChecksPerCall());
      if (batch.length === 1) {
        this.checkAlone(batch[0].query).then(batch[0].resolve, batch[0].reject);
        continue;
      }
      (this.options.onChainProofs ? this.checkOnChain(batch) : this.checkGrouped(batch)).then(
        (checks) => batch.forEach((pending, i) => pending.resolve(checks[i])),
        // One query the node cannot take must not fail the others: ask for each alone.
        () => {
          for (const { query, resolve, reject } of batch) this.checkAlone(query).then(resolve, reject);
        },
      );
    }
  }

  private async checkAlone(query: CheckCredentialQuery): Promise<CredentialCheck> {
    return plainCheck(await this.contract.checkCredential(query.issuerDidHash, query.keyHash, query.digest, [...query.proof], query.root));
  }

  private async checkOnChain(batch: PendingCheck[]): Promise<CredentialCheck[]> {
    const checks = await this.contract.checkCredentials(batch.map(({ query }) => ({ ...query, proof: [...query.proof] })));
    return checks.map(plainCheck);
  }

  /** One checkCredentialGroups call for the batch: each distinct (issuer, key, root) once, a revocation per digest. */
  private async checkGrouped(batch: PendingCheck[]): Promise<CredentialCheck[]> {
    const groups: IConfederationRegistry.CredentialGroupStruct[] = [];
    const groupIndex = new Map<string, number>();
    const digests = batch.map(({ query }) => {
      const key = `${query.issuerDidHash}:${query.keyHash}:${query.root}`.toLowerCase();
      let group = groupIndex.get(key);
      if (group === undefined) {
        group = groups.push({ issuerDidHash: query.issuerDidHash, keyHash: query.keyHash, root: query.root }) - 1;
        groupIndex.set(key, group);
      }
      return { group, digest: query.digest };
    });
    const [answer, proofs] = await Promise.all([
      this.contract.checkCredentialGroups(groups, digests),
      Promise.all(batch.map(({ query }) => proofLeadsToRoot(query))),
    ]);
    const groupChecks = answer.groupChecks.map(plainGroupCheck);
    return answer.revocations.map((revocation, i) => ({
      ...groupChecks[digests[i].group],
      proofValid: proofs[i],
      revoked: revocation.revoked,
      revokedAt: revocation.revokedAt,
      revocationReason: revocation.revocationReason,
    }));
  }

  landingOfTransaction(transactionHash: string, root: string): Promise<AnchorLanding | undefined> {
    const key = `${transactionHash.toLowerCase()}:${root.toLowerCase()}`;
    let landing = this.landings.get(key);
    if (!landing) {
      landing = this.readLanding(transactionHash, root);
      this.landings.set(key, landing);
    }
    return landing;
  }

  async findLanding(root: string): Promise<AnchorLanding | undefined> {
    const logs = await this.provider.getLogs({
      address: this.registry,
      topics: [ROOT_ANCHORED.topicHash, root],
      fromBlock: this.fromBlock,
      toBlock: 'latest',
    });
    const log = logs.at(-1);
    return log && { transactionHash: log.transactionHash, blockNumber: log.blockNumber };
  }

  async getKey(keyHash: string): Promise<SigningKey> {
    const key = await this.contract.getKey(keyHash);
    return {
      keyHash: keyHash.toLowerCase(),
      memberId: Number(key.memberId),
      validFrom: Number(key.validFrom),
      validUntil: Number(key.validUntil),
      revoked: key.revoked,
      compromisedAt: Number(key.compromisedAt),
    };
  }

  async memberStatusSince(memberId: number): Promise<number> {
    return Number((await this.contract.getMember(memberId)).statusSince);
  }

  private async readLanding(transactionHash: string, root: string): Promise<AnchorLanding | undefined> {
    const receipt = await this.provider.getTransactionReceipt(transactionHash);
    if (!receipt || receipt.status !== 1) return undefined;
    const anchored = receipt.logs.some(
      (log) =>
        log.address.toLowerCase() === this.registry.toLowerCase() &&
        log.topics[0] === ROOT_ANCHORED.topicHash &&
        log.topics[1]?.toLowerCase() === root.toLowerCase(),
    );
    return anchored ? { transactionHash: receipt.hash, blockNumber: receipt.blockNumber } : undefined;
  }
}

/** Whether digest -> leaf -> proof leads to root, as the registry's MerkleProof.verifyCalldata(proof, root, leafOf(digest)). */
async function proofLeadsToRoot(query: CheckCredentialQuery): Promise<boolean> {
  const result = await verifyProof({ digest: query.digest as Hex, proof: query.proof as Hex[], root: query.root as Hex });
  return result.valid;
}

function plainCheck(check: IConfederationRegistry.CredentialCheckStructOutput): CredentialCheck {
  return {
    ...plainGroupCheck(check),
    proofValid: check.proofValid,
    revoked: check.revoked,
    revokedAt: check.revokedAt,
    revocationReason: check.revocationReason,
  };
}

type GroupFacts = Omit<CredentialCheck, 'proofValid' | 'revoked' | 'revokedAt' | 'revocationReason'>;

function plainGroupCheck(check: IConfederationRegistry.GroupCheckStructOutput | IConfederationRegistry.CredentialCheckStructOutput): GroupFacts {
  return {
    rootAnchored: check.rootAnchored,
    anchoredAt: check.anchoredAt,
    anchoredBy: check.anchoredBy,
    issuerId: check.issuerId,
    issuerRole: check.issuerRole,
    issuerStatusNow: check.issuerStatusNow,
    issuerActiveAtAnchor: check.issuerActiveAtAnchor,
    keyRegistered: check.keyRegistered,
    keyValidAtAnchor: check.keyValidAtAnchor,
  };
}
