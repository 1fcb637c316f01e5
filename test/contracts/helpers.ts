// Shared fixtures and mirrors for the ConfederationRegistry tests. Every fixture is a named function so that
// loadFixture can snapshot it once and revert to it before each test.
import { ethers } from 'hardhat';
import { AbiCoder, concat, keccak256, toUtf8Bytes, type ContractTransactionResponse, type Signer } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import type { ConfederationRegistry } from '../../typechain-types';

// The Solidity enums (IConfederationRegistry.sol), as the service defines them (test/registry/enums.test.ts ties them).
import { Action, EndorsementKind, Role, Status } from '../../service/registry';
export { Action, EndorsementKind, Role, Status };

/** Most notaries a member may authorise (ConfederationRegistry._MAX_NOTARIES). */
export const MAX_NOTARIES = 16;

const coder = AbiCoder.defaultAbiCoder();

/** keccak256 of a DID's UTF-8 bytes: the key of memberIdByDidHash. */
export function didHash(did: string): string {
  return keccak256(toUtf8Bytes(did));
}

/** TypeScript mirror of the registry's proposal id: keccak256(abi.encode(action, subject, value, epoch)). */
export function proposalId(action: number, subject: bigint | number, value: bigint | number, epoch: bigint | number): string {
  return keccak256(coder.encode(['uint8', 'uint256', 'uint256', 'uint64'], [action, subject, value, epoch]));
}

/** TypeScript mirror of leafOf: keccak256(bytes.concat(keccak256(abi.encode(digest)))). */
export function leafOf(digest: string): string {
  return keccak256(concat([keccak256(coder.encode(['bytes32'], [digest]))]));
}

/** The `subject` of a Member endorsement: the member number as bytes32. */
export function memberSubject(memberId: number | bigint): string {
  return ethers.zeroPadValue(ethers.toBeHex(memberId), 32);
}

/** A deterministic bytes32 for test data (digests, key hashes, roots). */
export function label(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/** The timestamp of the block that mined `tx`. */
export async function timeOf(tx: Promise<ContractTransactionResponse> | ContractTransactionResponse): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error('transaction was not mined');
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error(`block ${receipt.blockNumber} not found`);
  return block.timestamp;
}

export function founderDid(index: number): string {
  return `did:web:founder${index}.example.org`;
}

export interface Accounts {
  deployer: HardhatEthersSigner;
  /** Controllers of the founders, members 1, 2, 3, ... in order. */
  founders: HardhatEthersSigner[];
  /** Accounts that apply for membership in the tests. */
  applicants: HardhatEthersSigner[];
  /** Accounts that members authorise as notaries. */
  notaries: HardhatEthersSigner[];
  stranger: HardhatEthersSigner;
}

export async function accounts(): Promise<Accounts> {
  const signers = await ethers.getSigners();
  return {
    deployer: signers[0],
    founders: signers.slice(1, 5),
    applicants: signers.slice(5, 8),
    notaries: signers.slice(8, 12),
    stranger: signers[12],
  };
}

export function founderList(controllers: Signer[], addresses: string[]) {
  return controllers.map((_, i) => ({
    did: founderDid(i + 1),
    controller: addresses[i],
    role: Role.IssuingPoint,
    metadataURI: `https://founder${i + 1}.example.org/meta.json`,
    metadataHash: label(`founder${i + 1} metadata`),
  }));
}

async function deploy(founderCount: number, quorum: number) {
  const acc = await accounts();
  const controllers = acc.founders.slice(0, founderCount);
  const founderRecords = founderList(controllers, await Promise.all(controllers.map((s) => s.getAddress())));
  const factory = await ethers.getContractFactory('ConfederationRegistry');
  const registry: ConfederationRegistry = await factory.deploy(founderRecords, quorum);
  await registry.waitForDeployment();
  const deployedAt = await timeOf(registry.deploymentTransaction()!);
  return { ...acc, founders: controllers, registry, factory, founderRecords, deployedAt };
}

/** Three founders (members 1, 2, 3), quorum 2. */
export async function threeFoundersFixture() {
  return deploy(3, 2);
}

/** One founder (member 1), quorum 1. */
export async function oneFounderFixture() {
  return deploy(1, 1);
}

/** Three founders, quorum 3: every decision needs all of them. */
export async function unanimousFixture() {
  return deploy(3, 3);
}

export const APPLICANT_DID = 'did:web:applicant.example.org';
export const APPLICANT_URI = 'ipfs://applicant-metadata';
export const APPLICANT_HASH = label('applicant metadata');

/** Three founders, quorum 2, and one pending applicant (member 4) controlled by applicants[0]. */
export async function applicantFixture() {
  const base = await threeFoundersFixture();
  const [applicant] = base.applicants;
  await base.registry.connect(applicant).applyForMembership(APPLICANT_DID, Role.ValidationPoint, APPLICANT_URI, APPLICANT_HASH);
  return { ...base, applicant, applicantId: 4 };
}

/** Three founders, quorum 2; notaries[0] notarises for member 1, notaries[1] for member 2. */
export async function notariesFixture() {
  const base = await threeFoundersFixture();
  const [a, b] = base.founders;
  const [notaryA, notaryB] = base.notaries;
  await base.registry.connect(a).authoriseNotary(1, notaryA.address);
  await base.registry.connect(b).authoriseNotary(2, notaryB.address);
  return { ...base, notaryA, notaryB };
}

type MemberVote = 'approveAdmission' | 'voteSuspension' | 'voteReinstatement' | 'voteRemoval' | 'voteRejection';

/** Casts the same vote about `memberId` from each of `voters`, in order. */
export async function voteAll(registry: ConfederationRegistry, voters: Signer[], vote: MemberVote, memberId: number) {
  for (const voter of voters) await registry.connect(voter)[vote](memberId);
}

export async function voteQuorumAll(registry: ConfederationRegistry, voters: Signer[], newQuorum: number) {
  for (const voter of voters) await registry.connect(voter).voteQuorum(newQuorum);
}
