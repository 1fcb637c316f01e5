// Which chain RPC URL the backpack's pages are given (service/config/public-rpc.ts), and the variable that names one.
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../service/config/config';
import { browserRpcUrl } from '../../service/config/public-rpc';

describe('config: the RPC URL published to the backpack’s pages', function () {
  it('publishes the service’s own RPC URL when it is on loopback (the embedded chain, a local node)', function () {
    for (const url of ['http://127.0.0.1:8545', 'http://localhost:8545/', 'http://[::1]:8545']) expect(browserRpcUrl(undefined, url), url).to.equal(url);
  });

  it('publishes no other URL by itself: a provider’s URL may carry an API key', function () {
    for (const url of ['https://mainnet.example-rpc.io/v3/0123456789abcdef', 'http://10.0.0.5:8545', 'ws://127.0.0.1:8545', 'http://user:secret@127.0.0.1:8545', 'not a url']) {
      expect(browserRpcUrl(undefined, url), url).to.equal(undefined);
    }
  });

  it('publishes the URL BADGE_NOTARY_PUBLIC_RPC_URL names, whatever the service’s own', function () {
    const config = loadConfig({ BADGE_NOTARY_PUBLIC_RPC_URL: 'https://rpc.example.org/public' });
    expect(config.publicRpcUrl).to.equal('https://rpc.example.org/public');
    expect(browserRpcUrl(config.publicRpcUrl, 'https://mainnet.example-rpc.io/v3/key')).to.equal('https://rpc.example.org/public');
    expect(loadConfig({}).publicRpcUrl).to.equal(undefined);
  });

  it('refuses a BADGE_NOTARY_PUBLIC_RPC_URL a browser cannot call or that holds a password, naming the variable', function () {
    for (const value of ['ws://127.0.0.1:8545', 'https://user:secret@rpc.example.org', 'rpc.example.org']) {
      let problems: { variable: string; message: string }[] = [];
      try {
        loadConfig({ BADGE_NOTARY_PUBLIC_RPC_URL: value });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems.map((problem) => problem.variable), value).to.deep.equal(['BADGE_NOTARY_PUBLIC_RPC_URL']);
    }
  });
});
