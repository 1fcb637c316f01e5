/**
 * The verifier's CatalogueReader (service/verify/catalogue-reader.ts) over JSON-RPC: the catalogue contract's
 * views, its adoption events (who adopts a class: the contract counts adopters but does not list them), and the
 * registry's getMember for the members around a class.
 */
import { ZeroHash, type Provider } from 'ethers';
import { BadgeClassCatalogue__factory, ConfederationRegistry__factory } from '../../typechain-types';
import type { BadgeClassId } from '../catalogue';
import { decodeCatalogueRevert } from './catalogue-errors';
import { statusName } from '../registry';
import type { CatalogueMember, CatalogueReader, ChainBadgeClass } from '../verify/catalogue-reader';

export class JsonRpcCatalogueReader implements CatalogueReader {
  private readonly catalogue;
  private readonly registry;
  private readonly members = new Map<number, Promise<CatalogueMember | undefined>>();

  constructor(
    provider: Provider,
    readonly catalogueAddress: string,
    registryAddress: string,
    /** The block the catalogue was deployed in, when known: event searches start there. */
    private readonly fromBlock = 0,
  ) {
    this.catalogue = BadgeClassCatalogue__factory.connect(catalogueAddress, provider);
    this.registry = ConfederationRegistry__factory.connect(registryAddress, provider);
  }

  async badgeClass(classId: BadgeClassId): Promise<ChainBadgeClass | undefined> {
    let record;
    try {
      record = await this.catalogue.getBadgeClass(classId);
    } catch (error) {
      // getBadgeClass reverts UnknownClass for a class never published; any other failure is the chain's.
      if (isUnknownClass(error)) return undefined;
      throw error;
    }
    const orNull = (id: string) => (id === ZeroHash ? null : (id.toLowerCase() as BadgeClassId));
    return {
      classId,
      publisher: Number(record.publisher),
      publishedAt: Number(record.publishedAt),
      uri: record.uri,
      supersedes: orNull(record.supersedes),
      supersededBy: orNull(record.supersededBy),
      adopterCount: Number(record.adopterCount),
    };
  }

  async adopters(classId: BadgeClassId): Promise<number[]> {
    const [adopted, withdrawn] = await Promise.all([
      this.catalogue.queryFilter(this.catalogue.filters.BadgeClassAdopted(classId), this.fromBlock),
      this.catalogue.queryFilter(this.catalogue.filters.BadgeClassAdoptionWithdrawn(classId), this.fromBlock),
    ]);
    // Events in chain order decide; an adoption withdrawn and made again stands.
    const events = [...adopted.map((e) => ({ e, on: true })), ...withdrawn.map((e) => ({ e, on: false }))].sort(
      (a, b) => a.e.blockNumber - b.e.blockNumber || a.e.index - b.e.index,
    );
    const standing = new Set<number>();
    for (const { e, on } of events) {
      const memberId = Number(e.args.memberId);
      if (on) standing.add(memberId);
      else standing.delete(memberId);
    }
    return [...standing].sort((a, b) => a - b);
  }

  member(memberId: number): Promise<CatalogueMember | undefined> {
    if (!this.members.has(memberId)) {
      this.members.set(
        memberId,
        this.registry.getMember(memberId).then(
          (view) => ({ memberId, did: view.did, status: statusName(view.status), statusSince: Number(view.statusSince) }),
          () => undefined,
        ),
      );
    }
    return this.members.get(memberId)!;
  }
}

function isUnknownClass(error: unknown): boolean {
  return decodeCatalogueRevert(error)?.name === 'UnknownClass';
}
