import { expect } from 'chai';
import { artifacts } from 'hardhat';
import { Action, ACTIONS, ENDORSEMENT_KINDS, EndorsementKind, Role, ROLES, Status, STATUSES } from '../../service/registry';

const INTERFACE = 'contracts/IConfederationRegistry.sol';

interface AstNode {
  nodeType: string;
  name?: string;
  nodes?: AstNode[];
  members?: { name: string }[];
}

/** The enums of the compiled IConfederationRegistry: name -> member names in declaration (= ABI value) order. */
async function solidityEnums(): Promise<Map<string, string[]>> {
  const buildInfo = await artifacts.getBuildInfo(`${INTERFACE}:IConfederationRegistry`);
  if (!buildInfo) throw new Error(`no build info for ${INTERFACE}: compile first`);
  const ast = buildInfo.output.sources[INTERFACE].ast as AstNode;
  const contract = ast.nodes!.find((node) => node.nodeType === 'ContractDefinition' && node.name === 'IConfederationRegistry')!;
  const enums = new Map<string, string[]>();
  for (const node of contract.nodes ?? []) {
    if (node.nodeType === 'EnumDefinition') enums.set(node.name!, node.members!.map((member) => member.name));
  }
  return enums;
}

/** 'IssuingPoint' -> 'issuing-point': the word the service uses for an enum member. */
const wordOf = (member: string) => member.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

describe('registry enums', function () {
  const mirrors = { Role, Status, Action, EndorsementKind } as const;
  const words = { Role: ROLES, Status: STATUSES, Action: ACTIONS, EndorsementKind: ENDORSEMENT_KINDS } as const;

  it('mirrors every enum of IConfederationRegistry.sol, and no other', async function () {
    expect([...(await solidityEnums()).keys()].sort()).to.deep.equal(Object.keys(mirrors).sort());
  });

  for (const name of Object.keys(mirrors) as (keyof typeof mirrors)[]) {
    it(`${name}: the same members with the same values as the Solidity enum`, async function () {
      const members = (await solidityEnums()).get(name)!;
      const expected = Object.fromEntries(members.map((member, value) => [member, value]));
      expect(mirrors[name]).to.deep.equal(expected);
    });

    it(`${name}: one word per value, in value order`, async function () {
      const members = (await solidityEnums()).get(name)!;
      expect([...words[name]]).to.deep.equal(members.map(wordOf));
    });
  }
});
