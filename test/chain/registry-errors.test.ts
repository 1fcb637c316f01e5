import { expect } from 'chai';
import { Interface, type ErrorFragment } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import {
  REGISTRY_ERROR_SENTENCES,
  RegistryRevertError,
  decodeRegistryRevert,
  describeRegistryError,
} from '../../service/chain/registry-errors';
import { Action, Status } from '../../service/registry';
import { label } from '../contracts/helpers';

const registryInterface = new Interface(ConfederationRegistry__factory.abi);
const abiErrors: ErrorFragment[] = [];
registryInterface.forEachError((fragment) => abiErrors.push(fragment));

/** The registry's error as a JSON-RPC node reports it, decoded as the service decodes it. */
const revert = (name: string, args: unknown[]) => decodeRegistryRevert({ error: { data: registryInterface.encodeErrorResult(name, args) } });

/** A distinct value of each argument's ABI type (small numbers, so that enum arguments are valid values). */
function sampleArgs(fragment: ErrorFragment): Record<string, unknown> {
  return Object.fromEntries(
    fragment.inputs.map((input, i) => {
      if (input.type === 'address') return [input.name, `0x${String(i + 1).repeat(40)}`];
      if (input.type === 'bytes32') return [input.name, label(`${fragment.name} ${input.name}`)];
      if (input.type === 'string') return [input.name, `did:web:${input.name}.example`];
      return [input.name, BigInt(i + 1)];
    }),
  );
}

/** The arguments, refusing to be read by any name the error does not have. */
function strictArgs(fragment: ErrorFragment, args: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(args, {
    get(target, key) {
      if (typeof key === 'string' && !Object.hasOwn(target, key)) throw new Error(`${fragment.name} has no argument "${key}"`);
      return Reflect.get(target, key) as unknown;
    },
  });
}

describe('registry errors in words', function () {
  it('has a sentence for every custom error of the registry ABI, and none for an error it lacks', function () {
    expect(abiErrors.length).to.be.greaterThan(30);
    expect(Object.keys(REGISTRY_ERROR_SENTENCES).sort()).to.deep.equal(abiErrors.map((fragment) => fragment.name).sort());
  });

  for (const fragment of abiErrors) {
    it(`${fragment.format('sighash')}: its sentence reads only arguments it has, by name`, function () {
      const sentence = describeRegistryError(fragment.name, strictArgs(fragment, sampleArgs(fragment)));
      expect(sentence).to.be.a('string').and.not.match(/undefined|the registry refused with/);
    });
  }

  it('puts each argument in its place (decoded from revert data, read by name)', function () {
    const account = '0x1111111111111111111111111111111111111111';
    const notController = revert('NotController', [7, account]);
    expect(new RegistryRevertError(notController!, 'registerKey', undefined).message).to.equal(
      `registerKey: ${account} does not control member 7: only its controller can do this`,
    );
    const transition = revert('InvalidTransition', [3, Status.Active, Action.Admit]);
    expect(new RegistryRevertError(transition!, undefined, undefined).message).to.equal('cannot admit member 3: it is active');
    const quorum = revert('QuorumWouldBecomeUnreachable', [1, 2]);
    expect(new RegistryRevertError(quorum!, undefined, undefined).message).to.match(/^only 1 active members .* quorum of 2:/);
  });

  it('names an error it does not know, with its arguments by name', function () {
    expect(describeRegistryError('SomethingNew', { memberId: 4n })).to.equal('the registry refused with SomethingNew(memberId: 4)');
    expect(describeRegistryError('toString', {})).to.equal('the registry refused with toString()');
  });
});
