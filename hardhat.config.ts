import { subtask, type HardhatUserConfig } from 'hardhat/config';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';
import '@nomicfoundation/hardhat-ethers';
import '@nomicfoundation/hardhat-chai-matchers';
import '@typechain/hardhat';
import 'hardhat-gas-reporter';
import 'solidity-coverage';

// The compiler comes from the `solc` npm package, pinned to this exact version in package.json:
// Hardhat's own compiler download needs the internet, which these machines do not have.
const SOLC_VERSION = '0.8.28';

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require('solc') as { version(): string };
  return {
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version().replace('.Emscripten.clang', ''),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      // Paris: no PUSH0 (Shanghai) nor MCOPY (Cancun), so the registry deploys on chains that have not enabled
      // them (some L2s, private Besu/Quorum networks, older nodes), for at most 0.2% more gas than a Cancun build
      // (docs/registry.md, "EVM target"). The deploy checks the chain runs what the build uses (service/chain/evm-opcodes.ts).
      evmVersion: 'paris',
    },
  },
  networks: {
    hardhat: { chainId: 31337 },
  },
  paths: {
    sources: './contracts',
    tests: './test',
  },
  typechain: { outDir: 'typechain-types', target: 'ethers-v6' },
  gasReporter: { enabled: process.env.REPORT_GAS === 'true', offline: true, currency: 'EUR' },
  mocha: { timeout: 120_000, reporter: require.resolve('./test/support/summary-reporter.js') },
};

export default config;
