// Compares the mirror with the registry's own views, field by field.
import { expect } from 'chai';
import { keccak256, toUtf8Bytes } from 'ethers';
import type { ConfederationRegistry } from '../../typechain-types';
import type { ChainReader } from '../../service/indexer';
import type { RegistryMirrorRepository } from '../../service/store';
import type { Probes } from './registry-history';

const n = (value: bigint) => Number(value);

/** Every view of the registry (at the chain's head) equals the mirror's answer, and the events are the logs. */
export async function expectMirrorMatchesChain(
  registry: ConfederationRegistry,
  mirror: RegistryMirrorRepository,
  reader: ChainReader,
  probes: Probes,
): Promise<void> {
  const head = await reader.getBlockNumber();
  expect(mirror.indexedHead(), 'the mirror has indexed the head').to.equal(head);
  await expectEventsMatchLogs(registry, mirror, reader);

  // Members, their history and statusAt around each change.
  const memberCount = n(await registry.memberCount());
  expect(mirror.members().map((m) => m.id)).to.deep.equal(Array.from({ length: memberCount }, (_, i) => i + 1));
  for (let id = 1; id <= memberCount; id++) {
    const onChain = await registry.getMember(id);
    const expected = {
      id,
      did: onChain.did,
      controller: onChain.controller,
      role: n(onChain.role),
      status: n(onChain.status),
      statusSince: n(onChain.statusSince),
      metadataURI: onChain.metadataURI,
      metadataHash: onChain.metadataHash,
    };
    expect(mirror.member(id), `member ${id}`).to.deep.equal(expected);
    // The member that holds the DID now: a closed application's DID may be free or taken by a later member.
    const holder = n(await registry.memberIdByDidHash(keccak256(toUtf8Bytes(onChain.did))));
    expect(mirror.memberByDid(onChain.did)?.id ?? 0, `member ${id}'s DID's holder`).to.equal(holder);
    expect(mirror.memberByController(onChain.controller)?.id ?? 0, `member ${id} by controller`).to.equal(n(await registry.memberIdByController(onChain.controller)));

    const history = (await registry.statusHistory(id)).map((change) => ({ since: n(change.since), status: n(change.status) }));
    expect(mirror.statusHistory(id), `status history of member ${id}`).to.deep.equal(history);
    const times = [0, ...history.flatMap((change) => [change.since - 1, change.since, change.since + 1]), 2 ** 40];
    for (const t of times) {
      expect(mirror.statusAt(id, t), `status of member ${id} at ${t}`).to.equal(n(await registry.statusAt(id, t)));
    }
  }
  expect(mirror.quorum(), 'quorum').to.equal(n(await registry.quorum()));

  // Revokers: each probed (member, account) as the contract says, and each member's list exactly those.
  for (const { memberId, account } of probes.revokers) {
    expect(mirror.isRevoker(memberId, account), `revoker ${account} of member ${memberId}`).to.equal(await registry.isRevoker(memberId, account));
  }
  for (const memberId of new Set(probes.revokers.map((r) => r.memberId))) {
    const expected = [];
    for (const { account } of probes.revokers.filter((r) => r.memberId === memberId)) {
      if (await registry.isRevoker(memberId, account)) expected.push(account);
    }
    expect([...mirror.revokersOf(memberId)].sort(), `revokers of member ${memberId}`).to.deep.equal(expected.sort());
  }
  expect(mirror.activeMemberCount(), 'active members').to.equal(n(await registry.activeMemberCount()));

  // Keys: every probed key and every key the mirror has, and validity around every edge of its window.
  const mirroredKeys = mirror.members().flatMap((m) => mirror.keysOf(m.id).map((k) => k.keyHash));
  for (const keyHash of new Set([...probes.keyHashes, ...mirroredKeys])) {
    const onChain = await registry.getKey(keyHash);
    if (onChain.memberId === 0n) {
      expect(mirror.key(keyHash), `key ${keyHash} is unknown`).to.equal(undefined);
      continue;
    }
    const key = {
      keyHash,
      memberId: n(onChain.memberId),
      validFrom: n(onChain.validFrom),
      validUntil: n(onChain.validUntil),
      compromisedAt: n(onChain.compromisedAt),
      revoked: onChain.revoked,
    };
    expect(mirror.key(keyHash), `key ${keyHash}`).to.deep.equal(key);
    expect(mirror.keysOf(key.memberId).map((k) => k.keyHash), `keys of member ${key.memberId}`).to.include(keyHash);
    const edges = [key.validFrom, key.validUntil, key.compromisedAt].filter((t) => t > 0).flatMap((t) => [t - 1, t, t + 1]);
    for (const t of [0, ...edges, 2 ** 40]) {
      for (const memberId of [key.memberId, key.memberId + 1, 0]) {
        expect(mirror.isKeyValidAt(memberId, keyHash, t), `key ${keyHash} of member ${memberId} at ${t}`).to.equal(
          await registry.isKeyValidAt(memberId, keyHash, t),
        );
      }
    }
  }

  // Notaries, in the contract's order.
  for (let id = 1; id <= memberCount; id++) {
    expect(mirror.notariesOf(id), `notaries of member ${id}`).to.deep.equal([...(await registry.notariesOf(id))]);
  }
  for (const notary of probes.notaries) {
    expect(mirror.notaryMember(notary), `member of notary ${notary}`).to.equal(n(await registry.notaryMember(notary)));
  }

  // Anchors, revocations, endorsements.
  for (const root of probes.roots) {
    const [anchoredAt, memberId] = await registry.getAnchor(root);
    const anchor = mirror.anchor(root);
    expect(anchor ? [anchor.anchoredAt, anchor.memberId] : [0, 0], `anchor ${root}`).to.deep.equal([n(anchoredAt), n(memberId)]);
  }
  for (const { memberId, digest } of probes.revocations) {
    const [revokedAt, reason] = await registry.revocationOf(memberId, digest);
    const revocation = mirror.revocation(memberId, digest);
    expect(revocation ? [revocation.revokedAt, revocation.reason] : [0, 0], `revocation of ${digest} by member ${memberId}`).to.deep.equal([
      n(revokedAt),
      n(reason),
    ]);
  }
  const standing: string[] = [];
  for (const { endorser, kind, subject } of probes.endorsements) {
    const [since, claimURI] = await registry.getEndorsement(endorser, kind, subject);
    const endorsement = mirror.endorsement(endorser, kind, subject);
    expect(endorsement ? [endorsement.since, endorsement.claimURI] : [0, ''], `endorsement ${endorser}/${kind}/${subject}`).to.deep.equal([
      n(since),
      claimURI,
    ]);
    if (since !== 0n) standing.push(`${endorser}/${kind}/${subject}`);
  }
  const given = mirror.members().flatMap((m) => mirror.endorsementsGiven(m.id).map((e) => `${e.endorser}/${e.kind}/${e.subject}`));
  expect(given.sort(), 'endorsements given').to.deep.equal([...standing].sort());
}

/** The mirror's events are exactly the registry's logs from the deployment block on, in order. */
export async function expectEventsMatchLogs(registry: ConfederationRegistry, mirror: RegistryMirrorRepository, reader: ChainReader) {
  const cursor = mirror.cursor()!;
  const logs = await reader.getLogs({ address: await registry.getAddress(), fromBlock: cursor.startBlock, toBlock: cursor.lastBlock });
  const expected = logs.map((log) => ({
    blockNumber: log.blockNumber,
    logIndex: log.index,
    blockHash: log.blockHash,
    txHash: log.transactionHash,
    name: registry.interface.parseLog({ topics: [...log.topics], data: log.data })!.name,
  }));
  const mirrored = mirror
    .events({ limit: 100_000 })
    .map(({ blockNumber, logIndex, blockHash, txHash, name }) => ({ blockNumber, logIndex, blockHash, txHash, name }));
  expect(mirrored, 'the mirrored events are the logs').to.deep.equal(expected);
  expect(mirror.eventCount()).to.equal(logs.length);
}
