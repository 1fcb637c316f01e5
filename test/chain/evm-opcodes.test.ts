import { expect } from 'chai';
import { ethers } from 'hardhat';
import { missingOpcodes, NEWER_OPCODES, newerOpcodesIn, probeCode } from '../../service/chain/evm-opcodes';
import { BadgeClassCatalogue__factory, ConfederationRegistry__factory } from '../../typechain-types';

const names = (bytecode: string) => newerOpcodesIn(bytecode).map((opcode) => opcode.name);

describe('evm-opcodes: the newer opcodes a build uses, and whether a chain runs them', function () {
  it('reads instructions, not bytes: PUSH data and the trailing CBOR metadata are skipped', function () {
    // PUSH2 0x5e5f, SHR, STOP: 0x5e (MCOPY) and 0x5f (PUSH0) only as pushed data.
    expect(names('0x615e5f1c00')).to.deep.equal(['SHR']);
    // PUSH0, MCOPY, INVALID, then metadata {a1 ..} of 3 bytes whose bytes are opcodes: a1 5c 5d, length 0x0003.
    expect(names('0x5f5efea15c5d0003')).to.deep.equal(['PUSH0', 'MCOPY']);
  });

  it('finds that the registry build needs neither PUSH0 nor MCOPY: it deploys on chains before Shanghai', function () {
    const used = names(ConfederationRegistry__factory.bytecode);
    expect(used).to.include('SHR');
    for (const opcode of ['PUSH0', 'MCOPY', 'TLOAD', 'TSTORE']) expect(used).not.to.include(opcode);
  });

  it('finds that the catalogue build, deployed beside the registry, needs neither PUSH0 nor MCOPY either', function () {
    const used = names(BadgeClassCatalogue__factory.bytecode);
    expect(used).to.include('SHR');
    for (const opcode of ['PUSH0', 'MCOPY', 'TLOAD', 'TSTORE']) expect(used).not.to.include(opcode);
  });

  it('probes each opcode with a few bytes of init code, and finds none missing on Hardhat’s chain', async function () {
    expect(probeCode(NEWER_OPCODES.find((opcode) => opcode.name === 'MCOPY')!)).to.equal('0x6000600060005e00');
    expect(await missingOpcodes(ethers.provider, NEWER_OPCODES)).to.deep.equal([]);
  });
});
