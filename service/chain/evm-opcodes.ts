/**
 * Which of the newer EVM opcodes a contract's bytecode uses, and whether a chain runs them: the deploy's
 * pre-flight, so that a chain without an opcode is named as such instead of failing with "missing revert data".
 */
import { getBytes, hexlify } from 'ethers';
import { NotaryError } from '../errors';

/** An opcode that some chains in use still lack: the fork and EIP that brought it. */
export interface NewerOpcode {
  code: number;
  name: string;
  fork: string;
  eip: number;
  /** How many stack items it takes: the probe pushes that many zeros before it. */
  inputs: number;
}

/** The opcodes from Constantinople (2019) on; older ones every chain in use runs. */
export const NEWER_OPCODES: readonly NewerOpcode[] = [
  { code: 0x1b, name: 'SHL', fork: 'Constantinople', eip: 145, inputs: 2 },
  { code: 0x1c, name: 'SHR', fork: 'Constantinople', eip: 145, inputs: 2 },
  { code: 0x1d, name: 'SAR', fork: 'Constantinople', eip: 145, inputs: 2 },
  { code: 0x3f, name: 'EXTCODEHASH', fork: 'Constantinople', eip: 1052, inputs: 1 },
  { code: 0xf5, name: 'CREATE2', fork: 'Constantinople', eip: 1014, inputs: 4 },
  { code: 0x46, name: 'CHAINID', fork: 'Istanbul', eip: 1344, inputs: 0 },
  { code: 0x47, name: 'SELFBALANCE', fork: 'Istanbul', eip: 1884, inputs: 0 },
  { code: 0x48, name: 'BASEFEE', fork: 'London', eip: 3198, inputs: 0 },
  { code: 0x5f, name: 'PUSH0', fork: 'Shanghai', eip: 3855, inputs: 0 },
  { code: 0x49, name: 'BLOBHASH', fork: 'Cancun', eip: 4844, inputs: 1 },
  { code: 0x4a, name: 'BLOBBASEFEE', fork: 'Cancun', eip: 7516, inputs: 0 },
  { code: 0x5c, name: 'TLOAD', fork: 'Cancun', eip: 1153, inputs: 1 },
  { code: 0x5d, name: 'TSTORE', fork: 'Cancun', eip: 1153, inputs: 2 },
  { code: 0x5e, name: 'MCOPY', fork: 'Cancun', eip: 5656, inputs: 3 },
];

const PUSH1 = 0x60;
const PUSH32 = 0x7f;
const STOP = 0x00;

/** Solidity appends CBOR metadata whose length is the last two bytes: data, not code. */
function withoutMetadata(code: Uint8Array): Uint8Array {
  if (code.length < 2) return code;
  const length = (code[code.length - 2] << 8) | code[code.length - 1];
  const start = code.length - 2 - length;
  // CBOR metadata from solc is a map (0xa1..0xa5), after an INVALID (0xfe) that ends the code.
  if (start > 0 && code[start] >= 0xa1 && code[start] <= 0xa5) return code.subarray(0, start);
  return code;
}

/** The newer opcodes that `bytecode` executes or may execute, read instruction by instruction (PUSH data skipped). */
export function newerOpcodesIn(bytecode: string): NewerOpcode[] {
  const code = withoutMetadata(getBytes(bytecode));
  const seen = new Set<number>();
  for (let i = 0; i < code.length; i++) {
    const op = code[i];
    if (op >= PUSH1 && op <= PUSH32) i += op - PUSH1 + 1;
    else seen.add(op);
  }
  return NEWER_OPCODES.filter((opcode) => seen.has(opcode.code));
}

/** Init code that runs `opcode` on zeros and stops. */
export function probeCode(opcode: NewerOpcode): string {
  return hexlify(Uint8Array.from([...Array.from({ length: opcode.inputs }, () => [PUSH1, 0]).flat(), opcode.code, STOP]));
}

/** What the probe needs of a provider: an eth_call without a recipient, which runs `data` as init code. */
export interface CodeRunner {
  call(transaction: { data: string }): Promise<string>;
}

async function runs(rpc: CodeRunner, code: string): Promise<boolean> {
  try {
    await rpc.call({ data: code });
    return true;
  } catch {
    return false;
  }
}

/** Of `opcodes`, those the chain behind `rpc` does not run: each probed by an eth_call of a few bytes of init code. */
export async function missingOpcodes(rpc: CodeRunner, opcodes: readonly NewerOpcode[]): Promise<NewerOpcode[]> {
  if (opcodes.length === 0) return [];
  // A chain that cannot eth_call even a bare STOP tells nothing about its opcodes.
  if (!(await runs(rpc, hexlify(Uint8Array.of(STOP))))) {
    throw new Error('the chain refused an eth_call of contract creation code, so its opcodes could not be checked');
  }
  const results = await Promise.all(opcodes.map((opcode) => runs(rpc, probeCode(opcode))));
  return opcodes.filter((_, i) => !results[i]);
}

export class ChainLacksOpcodeError extends NotaryError {
  constructor(
    readonly chainId: bigint,
    readonly missing: NewerOpcode[],
  ) {
    const names = missing.map((opcode) => `${opcode.name} (${opcode.fork}, EIP-${opcode.eip})`).join(', ');
    super(
      'chain-lacks-opcode',
      `chain ${chainId} lacks ${names}: this registry build needs ${missing.length === 1 ? 'it' : 'them'}; ` +
        `deploy to a chain that has enabled ${missing[missing.length - 1].fork}, or build the registry for an older EVM (the evmVersion in the Hardhat config)`,
    );
    this.name = 'ChainLacksOpcodeError';
  }
}

/** Throws {@link ChainLacksOpcodeError} when the chain does not run every newer opcode that `bytecode` uses. */
export async function requireOpcodesFor(rpc: CodeRunner, chainId: bigint, bytecode: string): Promise<void> {
  const missing = await missingOpcodes(rpc, newerOpcodesIn(bytecode));
  if (missing.length > 0) throw new ChainLacksOpcodeError(chainId, missing);
}
