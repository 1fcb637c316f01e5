// The wallet of the console's browser tests: an EIP-1193 provider injected into the page (window.ethereum) whose
// requests go to the test (playwright's exposeFunction). It answers with the account the test chooses and forwards
// every other request to the test's `hardhat node`, which holds the well-known accounts unlocked, so transactions
// are really signed and mined. Shared by test/web/console-page.test.ts and test/web/console-flow.test.ts.
import type { BrowserContext, Page } from 'playwright-core';
import { wellKnownAccount } from '../support/well-known-accounts';

export interface WalletCall {
  method: string;
  params: unknown[];
}

/**
 * The test's side of the injected wallet: the account it shows, the chain it claims (the node's unless
 * overridden), and every request the page made, in order.
 */
export class TestWallet {
  account = wellKnownAccount(2).address;
  chainOverride: string | undefined;
  readonly calls: WalletCall[] = [];

  constructor(private readonly rpcUrl: string) {}

  async handle(method: string, params: unknown[]): Promise<{ result?: unknown; error?: unknown }> {
    this.calls.push({ method, params });
    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return { result: [this.account] };
    if (method === 'eth_chainId' && this.chainOverride) return { result: this.chainOverride };
    // A wallet signs with its own account, whatever the page wrote in `from`.
    const forwarded = method === 'eth_sendTransaction' ? [{ ...(params[0] as object), from: this.account }] : params;
    const response = await fetch(this.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: this.calls.length, method, params: forwarded }),
    });
    const body = (await response.json()) as { result?: unknown; error?: unknown };
    return body.error === undefined ? { result: body.result } : { error: body.error };
  }

  /** The methods asked since call number `from`. */
  methodsSince(from: number): string[] {
    return this.calls.slice(from).map((call) => call.method);
  }
}

/**
 * window.ethereum in the page (a script run before the page's own): EIP-1193 request() over the test's function,
 * and its events (accountsChanged, chainChanged) for the test to fire with __walletEmit.
 */
const INJECTED_WALLET = `(() => {
  const listeners = {};
  window.ethereum = {
    async request({ method, params }) {
      const answer = await window.__walletRpc(method, params ?? []);
      if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data });
      return answer.result;
    },
    on(event, listener) { (listeners[event] ??= []).push(listener); },
    removeListener(event, listener) { listeners[event] = (listeners[event] ?? []).filter((one) => one !== listener); },
  };
  window.__walletEmit = (event, value) => { for (const listener of listeners[event] ?? []) listener(value); };
})();`;

/** Gives every page of `context` the wallet, answered by `wallet`. */
export async function injectWallet(context: BrowserContext, wallet: TestWallet): Promise<void> {
  await context.exposeFunction('__walletRpc', (method: string, params: unknown[]) => wallet.handle(method, params));
  await context.addInitScript({ content: INJECTED_WALLET });
}

/** The wallet fires an event, as an extension does when its user switches account or chain. */
export const emitWalletEvent = (page: Page, event: string, value: unknown) =>
  page.evaluate(`window.__walletEmit(${JSON.stringify(event)}, ${JSON.stringify(value)})`);

/** The wallet switches account, as an extension does: accountsChanged, and the console reads the network again. */
export async function switchAccount(page: Page, wallet: TestWallet, index: number): Promise<void> {
  wallet.account = wellKnownAccount(index).address;
  await emitWalletEvent(page, 'accountsChanged', [wallet.account]);
  await page.waitForSelector(`body[data-account="${wallet.account}"] #state:not([hidden])`);
}
