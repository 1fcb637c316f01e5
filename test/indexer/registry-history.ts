// A scripted history of the registry, and what to ask both the contract and the mirror about afterwards.
import { ethers, network } from 'hardhat';
import { time } from '@nomicfoundation/hardhat-network-helpers';
import { EndorsementKind, Role, label, memberSubject, threeFoundersFixture, voteAll, voteQuorumAll } from '../contracts/helpers';

export type RegistryFixture = Awaited<ReturnType<typeof threeFoundersFixture>>;

/** Three founders (members 1-3), quorum 2, and the block the registry was deployed in. */
export async function mirrorFixture() {
  const base = await threeFoundersFixture();
  const receipt = await base.registry.deploymentTransaction()!.wait();
  return { ...base, address: await base.registry.getAddress(), deploymentBlock: receipt!.blockNumber };
}

export type MirrorFixture = Awaited<ReturnType<typeof mirrorFixture>>;

/** Everything the scripts touched, to be compared between the contract and the mirror (absent ones included). */
export interface Probes {
  keyHashes: Set<string>;
  notaries: Set<string>;
  roots: Set<string>;
  revocations: { memberId: number; digest: string }[];
  endorsements: { endorser: number; kind: number; subject: string }[];
  revokers: { memberId: number; account: string }[];
}

export function emptyProbes(): Probes {
  return {
    keyHashes: new Set([label('never registered key')]),
    notaries: new Set(),
    roots: new Set([label('never anchored root')]),
    revocations: [{ memberId: 1, digest: label('never revoked digest') }],
    endorsements: [],
    revokers: [],
  };
}

/**
 * Part one: an admission at quorum, a rejected applicant, a suspension and reinstatement, a metadata update,
 * a controller change, an application and its admission in one block, keys registered and revoked (once, then earlier), notaries authorised.
 */
export async function historyPartOne(f: MirrorFixture, probes: Probes): Promise<void> {
  const { registry } = f;
  const [f1, f2] = f.founders;
  const [a1, a2, a3] = f.applicants;
  const [n1, n2, n3, n4] = f.notaries;

  await registry.connect(a1).applyForMembership('did:web:applicant-one.example', Role.ValidationPoint, 'ipfs://applicant-one', label('a1'));
  await voteAll(registry, [f1, f2], 'approveAdmission', 4);
  await registry.connect(a2).applyForMembership('did:web:applicant-two.example', Role.InformationPoint, 'ipfs://applicant-two', label('a2'));
  await voteAll(registry, [f1, f2], 'voteRemoval', 5);
  await voteAll(registry, [f1, f2], 'voteSuspension', 3);
  await voteAll(registry, [f1, f2], 'voteReinstatement', 3);
  await registry.connect(f2).updateMetadata(2, 'https://founder2.example.org/meta-v2.json', label('founder2 metadata v2'));
  await registry.connect(a1).changeController(4, a3.address);

  // Member 6 applies and is admitted in one block: two status changes at the same time, of which the last holds.
  await network.provider.send('evm_setAutomine', [false]);
  try {
    const gasLimit = 500_000; // no estimates: they would run before the application is mined
    await registry.connect(f.stranger).applyForMembership('did:web:same-block.example', Role.IssuingPoint, '', label('same block'), { gasLimit });
    await registry.connect(f1).approveAdmission(6, { gasLimit });
    await registry.connect(f2).approveAdmission(6, { gasLimit });
    await network.provider.send('evm_mine', []);
  } finally {
    await network.provider.send('evm_setAutomine', [true]);
  }

  const [k1, k2, k3, k4] = ['key 1', 'key 2', 'key 3', 'key 4'].map(label);
  await registry.connect(f1).registerKey(1, k1, 0, 0);
  const now = await time.latest();
  await registry.connect(f1).registerKey(1, k2, now + 100, now + 10_000);
  await registry.connect(a3).registerKey(4, k3, 0, 0);
  await registry.connect(f1).registerKey(1, k4, 0, 0);
  await time.increase(60);
  await registry.connect(f1).revokeKey(1, k4, 0);
  await registry.connect(f1).revokeKey(1, k4, (await time.latest()) - 30);
  for (const key of [k1, k2, k3, k4]) probes.keyHashes.add(key);

  for (const notary of [n1, n2, n3]) await registry.connect(f1).authoriseNotary(1, notary.address);
  await registry.connect(f2).authoriseNotary(2, n4.address);
  for (const notary of [n1, n2, n3, n4]) probes.notaries.add(notary.address);
}

/**
 * Part two: a notary withdrawn from the front of the list (swap-and-pop), anchors, revocations with a
 * duplicate, endorsements given, replaced and withdrawn, and a quorum change.
 */
export async function historyPartTwo(f: MirrorFixture, probes: Probes): Promise<void> {
  const { registry } = f;
  const [f1, f2, f3] = f.founders;
  const [n1, n2, n3, n4] = f.notaries;

  await registry.connect(f1).deauthoriseNotary(1, n1.address);

  const [r1, r2, r3] = ['root 1', 'root 2', 'root 3'].map(label);
  await registry.connect(n2).anchor(r1);
  await registry.connect(n3).anchor(r2);
  await registry.connect(n4).anchor(r3);
  for (const root of [r1, r2, r3]) probes.roots.add(root);

  const [d1, d2, d3] = ['digest 1', 'digest 2', 'digest 3'].map(label);
  await registry.connect(f1).revokeCredentials(1, [d1, d2], 3);
  await registry.connect(n2).revokeCredentials(1, [d2, d3], 5);
  await registry.connect(f2).revokeCredentials(2, [d1], 1);
  probes.revocations.push(
    ...[d1, d2, d3].map((digest) => ({ memberId: 1, digest })),
    ...[d1, d2].map((digest) => ({ memberId: 2, digest })),
  );

  const badgeClass = label('badge class');
  await registry.connect(f1).endorse(1, EndorsementKind.Member, memberSubject(2), 'ipfs://claim-a');
  await registry.connect(f1).endorse(1, EndorsementKind.Member, memberSubject(2), 'ipfs://claim-b');
  await registry.connect(f2).endorse(2, EndorsementKind.BadgeClass, badgeClass, 'ipfs://claim-badge');
  await registry.connect(f3).endorse(3, EndorsementKind.Member, memberSubject(1), 'ipfs://claim-c');
  await registry.connect(f3).withdrawEndorsement(3, EndorsementKind.Member, memberSubject(1));
  await registry.connect(f2).endorse(2, EndorsementKind.Member, memberSubject(1), 'ipfs://claim-d');
  probes.endorsements.push(
    { endorser: 1, kind: EndorsementKind.Member, subject: memberSubject(2) },
    { endorser: 2, kind: EndorsementKind.BadgeClass, subject: badgeClass },
    { endorser: 3, kind: EndorsementKind.Member, subject: memberSubject(1) },
    { endorser: 2, kind: EndorsementKind.Member, subject: memberSubject(1) },
  );

  // Revokers: member 2 lets member 1's notary n2 revoke for it, and it does; member 3 grants n2 and withdraws.
  await registry.connect(f2).authoriseRevoker(2, n2.address);
  await registry.connect(f3).authoriseRevoker(3, n2.address);
  await registry.connect(f3).authoriseRevoker(3, n3.address);
  await registry.connect(f3).deauthoriseRevoker(3, n2.address);
  const d4 = label('digest 4');
  await registry.connect(n2).revokeCredentials(2, [d4], 2);
  probes.revocations.push({ memberId: 2, digest: d4 });
  probes.revokers.push(
    { memberId: 2, account: n2.address },
    { memberId: 3, account: n2.address },
    { memberId: 3, account: n3.address },
    { memberId: 1, account: n2.address },
  );

  await voteQuorumAll(registry, [f1, f2], 3);

  // A withdrawn application frees its DID, which a later applicant takes (issue #17, point 9).
  const [squatter, owner] = (await ethers.getSigners()).slice(15, 17);
  await registry.connect(squatter).applyForMembership('did:web:wanted.example', Role.IssuingPoint, '', label('squatter'));
  const squatterId = Number(await registry.memberCount());
  await registry.connect(squatter).withdrawMembershipApplication(squatterId);
  await registry.connect(owner).applyForMembership('did:web:wanted.example', Role.IssuingPoint, '', label('owner'));
}
