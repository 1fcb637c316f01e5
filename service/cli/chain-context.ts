import { existsSync, readFileSync } from 'node:fs';
import { keccak256, toUtf8Bytes, isHexString, type Signer } from 'ethers';
import { connectChain, registryAt, type ChainConnection } from '../chain/connection';
import { readDeploymentRecord } from '../chain/deployment-record';
import { JsonRpcRegistryReader, type JsonRpcRegistryReaderOptions } from '../chain/json-rpc-registry-reader';
import { BadgeClassCatalogue__factory, type BadgeClassCatalogue, type ConfederationRegistry } from '../../typechain-types';
import { JsonRpcCatalogueReader } from '../chain/json-rpc-catalogue-reader';
import { CliUsageError } from './cli-errors';
import { parseAddress, type MemberReference } from './parse-arguments';
import { DEFAULT_DEPLOYMENT_FILE, rpcUrlOf, type ChainOptions } from './chain-options';

/** A lazily opened connection to the registry, with the signing account when one is configured. */
export class ChainContext {
  private connection?: ChainConnection;
  private registryAddress?: string;
  /** The badge-class catalogue's address, from the deployment record. */
  private catalogueAddress?: string;
  private verification?: JsonRpcRegistryReader;
  deploymentBlock = 0;

  constructor(
    private readonly options: ChainOptions,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get rpcUrl(): string {
    return rpcUrlOf(this.options, this.env);
  }

  private connect(): ChainConnection {
    if (!this.connection) {
      this.connection = connectChain({ rpcUrl: this.rpcUrl, privateKey: this.privateKey() });
    }
    return this.connection;
  }

  private privateKey(): string | undefined {
    const file = this.options.keyFile ?? this.env.BADGE_NOTARY_KEY_FILE;
    let key = this.env.BADGE_NOTARY_PRIVATE_KEY;
    if (file) {
      try {
        key = readFileSync(file, 'utf8').trim();
      } catch (cause) {
        throw new CliUsageError(`cannot read the key file ${file}: ${(cause as Error).message}`);
      }
    }
    if (key === undefined) return undefined;
    if (!isHexString(key, 32)) {
      throw new CliUsageError('the signing key is not a private key: expected 0x and 64 hex digits');
    }
    return key;
  }

  /** The registry address: --registry, BADGE_NOTARY_REGISTRY, or the deployment record. */
  private address(): string {
    if (this.registryAddress) return this.registryAddress;
    const explicit = this.options.registry ?? this.env.BADGE_NOTARY_REGISTRY;
    if (explicit) {
      this.registryAddress = parseAddress(explicit, 'registry address');
      return this.registryAddress;
    }
    const file = this.options.deployment ?? this.env.BADGE_NOTARY_DEPLOYMENT ?? DEFAULT_DEPLOYMENT_FILE;
    if (!existsSync(file)) {
      throw new CliUsageError(
        `no registry given: pass --registry ADDRESS, set BADGE_NOTARY_REGISTRY, or point --deployment at a deployment record (${file} does not exist)`,
      );
    }
    try {
      const record = readDeploymentRecord(file);
      this.registryAddress = record.registry;
      this.catalogueAddress = record.catalogue;
      this.deploymentBlock = record.blockNumber;
    } catch (cause) {
      throw new CliUsageError((cause as Error).message);
    }
    return this.registryAddress;
  }

  /** The registry for reading. */
  reader(): ConfederationRegistry {
    return registryAt(this.address(), this.connect().provider);
  }

  /**
   * The verifier's reader for this run (one per command, so RPC answers are shared across its files, and the
   * registry checks of files verified at once go in one call). The options of the first call hold for the run.
   */
  verificationReader(options: JsonRpcRegistryReaderOptions = {}): JsonRpcRegistryReader {
    const address = this.address();
    this.verification ??= new JsonRpcRegistryReader(this.connect().provider, address, this.deploymentBlock, options);
    return this.verification;
  }

  /** The badge-class catalogue's address (the deployment record's `catalogue`), or undefined when it names none. */
  catalogue(): string | undefined {
    this.address();
    return this.catalogueAddress;
  }

  /** The catalogue's reader for the verifier and `class show`; undefined when no catalogue is known. */
  catalogueReader(): JsonRpcCatalogueReader | undefined {
    const catalogue = this.catalogue();
    return catalogue ? new JsonRpcCatalogueReader(this.connect().provider, catalogue, this.address(), this.deploymentBlock) : undefined;
  }

  /** The catalogue contract, read-only or signed by the configured account; a clear message when none is known. */
  catalogueContract(signed: boolean): BadgeClassCatalogue {
    const catalogue = this.catalogue();
    if (!catalogue) {
      throw new CliUsageError('no badge-class catalogue is known: point --deployment at a deployment record that names one (its "catalogue")');
    }
    return BadgeClassCatalogue__factory.connect(catalogue, signed ? this.writer().signer : this.connect().provider);
  }

  /** The registry for sending transactions; fails with a clear message when no key is configured. */
  writer(): { registry: ConfederationRegistry; signer: Signer } {
    const signer = this.connect().signer;
    if (!signer) {
      throw new CliUsageError('this command sends a transaction: give --key-file FILE or set BADGE_NOTARY_PRIVATE_KEY');
    }
    return { registry: registryAt(this.address(), signer), signer };
  }

  /** The member number for a reference; a DID is looked up on-chain. */
  async memberId(reference: MemberReference): Promise<number> {
    if ('id' in reference) return reference.id;
    const id = Number(await this.reader().memberIdByDidHash(keccak256(toUtf8Bytes(reference.did))));
    if (id === 0) throw new CliUsageError(`no member has the DID ${reference.did}`);
    return id;
  }

  /** The member given, or else the one the signing account controls. */
  async actingMember(reference?: MemberReference): Promise<number> {
    if (reference) return this.memberId(reference);
    const { signer } = this.writer();
    const account = await signer.getAddress();
    const id = Number(await this.reader().memberIdByController(account));
    if (id === 0) throw new CliUsageError(`${account} controls no member: pass --member`);
    return id;
  }

  close(): void {
    this.connection?.close();
  }
}
