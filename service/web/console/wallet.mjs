/* global fetch, setTimeout */
/**
 * The member's browser wallet (EIP-1193: window.ethereum) and the registry through it. Every request goes to the
 * wallet, which holds the account's key: this page never sees a private key. Before a transaction: the wallet's
 * chain must be the registry's, and the gas is estimated (a refusal shows there, before anything is sent); the
 * registry's custom errors are said in the CLI's sentences, which the service gives (GET console/refusal).
 */
import { Interface, getAddress, toQuantity, id as topicOf } from './ethers.mjs';

/** A problem said before anything is sent: `code` is an i18n key, `params` its values. */
export class WalletProblem extends Error {
  constructor(code, params = {}) {
    super(code);
    this.name = 'WalletProblem';
    this.code = code;
    this.params = params;
  }
}

/** The registry refused: the CLI's context and the registry's reason, in one sentence. */
export class Refusal extends Error {
  constructor(sentence, errorName) {
    super(sentence);
    this.name = 'Refusal';
    this.errorName = errorName;
  }
}

/** GET console/network.json: the registry's chain id, address, ABI and enum words. */
export async function loadNetwork() {
  const response = await fetch('console/network.json');
  if (!response.ok) throw new Error(`console/network.json answered ${response.status}`);
  return response.json();
}

/** The revert data inside a wallet's error, wherever the wallet put it. */
export function revertDataOf(error) {
  const candidates = [error?.data, error?.data?.data, error?.error?.data, error?.error?.data?.data, error?.info?.error?.data];
  return candidates.find((value) => typeof value === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(value));
}

export class RegistryWallet {
  constructor(ethereum, network) {
    this.ethereum = ethereum;
    this.network = network;
    this.registry = new Interface(network.abi);
    this.account = undefined;
  }

  request(method, params = []) {
    return this.ethereum.request({ method, params });
  }

  /** Asks the wallet for its account (the extension asks its user). */
  async connect() {
    const accounts = await this.request('eth_requestAccounts');
    this.account = accounts && accounts[0] ? getAddress(accounts[0]) : undefined;
    return this.account;
  }

  async chainId() {
    return Number(await this.request('eth_chainId'));
  }

  /** Throws a WalletProblem when the wallet is on another chain than the registry's. */
  async checkChain() {
    const chainId = await this.chainId();
    if (chainId !== this.network.chainId) throw new WalletProblem('problem.chain', { walletChain: chainId, registryChain: this.network.chainId });
  }

  /** A view of the registry, decoded (one value, or the Result for several). */
  async read(method, args = []) {
    const data = this.registry.encodeFunctionData(method, args);
    const answer = await this.request('eth_call', [{ to: this.network.registry, data }, 'latest']);
    const result = this.registry.decodeFunctionResult(method, answer);
    return result.length === 1 ? result[0] : result;
  }

  /** The registry's events named `name`, decoded, oldest first; `topics` filters the indexed arguments. */
  async events(name, topics = []) {
    const fragment = this.registry.getEvent(name);
    const logs = await this.request('eth_getLogs', [{ address: this.network.registry, fromBlock: toQuantity(this.network.deploymentBlock ?? 0), toBlock: 'latest', topics: [topicOf(fragment.format('sighash')), ...topics] }]);
    return logs.map((log) => ({ ...this.registry.parseLog(log), blockNumber: Number(log.blockNumber) }));
  }

  /** The member the connected account controls, or 0. */
  async controlledMember() {
    if (!this.account) return 0;
    return Number(await this.read('memberIdByController', [this.account]));
  }

  /**
   * Prepares an action: the chain is checked, then the gas estimated, which is where the registry refuses a call it
   * would revert. Returns { transaction, gas, gasPrice } to show before sending.
   */
  async prepare(action) {
    if (!this.account) throw new WalletProblem('problem.notConnected');
    await this.checkChain();
    const transaction = { from: this.account, to: this.network.registry, data: this.registry.encodeFunctionData(action.method, action.args) };
    const gas = BigInt(await this.refusing(action, () => this.request('eth_estimateGas', [transaction])));
    const gasPrice = BigInt(await this.request('eth_gasPrice'));
    return { transaction: { ...transaction, gas: toQuantity(gas) }, gas, gasPrice };
  }

  /** Sends a prepared transaction, waits for its receipt, and returns { hash, events } (the registry's, decoded). */
  async send(action, prepared) {
    await this.checkChain();
    const hash = await this.refusing(action, () => this.request('eth_sendTransaction', [prepared.transaction]));
    let receipt = null;
    for (let attempt = 0; !receipt; attempt++) {
      receipt = await this.request('eth_getTransactionReceipt', [hash]);
      if (!receipt) await new Promise((resolve) => setTimeout(resolve, Math.min(250 * (attempt + 1), 2000)));
    }
    if (Number(receipt.status) !== 1) throw new Refusal(`${action.cli}: the transaction ${hash} failed on chain`, 'Reverted');
    const events = receipt.logs
      .filter((log) => log.address.toLowerCase() === this.network.registry.toLowerCase())
      .map((log) => this.registry.parseLog(log))
      .filter((event) => event !== null);
    return { hash, events };
  }

  /** Runs a wallet request; a revert of the registry becomes a Refusal in the CLI's sentence. */
  async refusing(action, call) {
    try {
      return await call();
    } catch (error) {
      const data = revertDataOf(error);
      if (!data) throw error;
      const response = await fetch(`console/refusal?data=${encodeURIComponent(data)}`);
      if (!response.ok) throw error;
      const refusal = await response.json();
      throw new Refusal(`${action.cli}: ${refusal.reason}`, refusal.error);
    }
  }
}
