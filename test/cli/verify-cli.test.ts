import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { signStatusListCredential } from '../../service/status-list';
import { attachReceiptToCredential, attachReceiptToJwt, type Receipt } from '../../service/merkle';
import { runCli } from '../../service/cli/main';
import { bakePng, bakeSvg, demoBadgePng, demoBadgeSvg } from '../../service/baking';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';

describe('badge-notary verify, against a hardhat node process', function () {
  this.timeout(180_000);
  let network: NotaryNetwork;
  let directory: string;
  let key: IssuerKey;
  let jwt: string;
  let jwtReceipt: Receipt;
  let jsonCredential: JsonObject;
  let jsonReceipt: Receipt;

  const file = (name: string, content: string | object) => {
    const path = join(directory, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };

  async function verify(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['verify', ...argv], {
      env: { BADGE_NOTARY_RPC_URL: network.node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json') },
      io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-verify-'));
    network = await startNotaryNetwork();
    network.writeRecord(join(directory, 'deployment.json'));
    key = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(1).registerKey(2, key.keyHash, 0, 0)).wait();
    const issue = (format: 'vc-jwt' | 'data-integrity') =>
      signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid: 'did:web:ngo-b.example' })), key, format });
    jwt = (await issue('vc-jwt')) as string;
    jsonCredential = (await issue('data-integrity')) as JsonObject;
    [jwtReceipt, jsonReceipt] = await network.notarise([jwt, jsonCredential]);
  });

  after(async function () {
    await network?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('verifies a credential carrying its receipt: exit 0 and every step in the report', async function () {
    const result = await verify(file('badge.json', attachReceiptToCredential(jsonCredential, jsonReceipt)));
    expect(result.code, result.out).to.equal(0);
    expect(result.out).to.contain('badge.json: VERIFIED');
    expect(result.out).to.match(/✔ issuer-member +member 2 was an active issuing point/);
    expect(result.out).to.contain('1 file(s): 1 verified, 0 not verified, 0 unusable');
  });

  it('checks a credential’s W3C status list with --status-list-issuer (a file given, or fetched), printing what the list says beside the chain', async function () {
    const url = 'http://127.0.0.1:9/v1/status-lists/2/main';
    const credential = (await signCredential({
      credential: buildAchievementCredential({ ...demoBadgeInput({ issuerDid: 'did:web:ngo-b.example' }), status: { statusListCredential: url, index: 77 } }),
      key,
      format: 'data-integrity',
    })) as JsonObject;
    const [receipt] = await network.notarise([credential]);
    const badge = file('listed.json', attachReceiptToCredential(credential, receipt!));
    const notary = generateIssuerKey({ type: 'Ed25519' });
    const builtFrom = { registry: receipt!.anchor.registry, number: receipt!.anchor.blockNumber, hash: `0x${'ab'.repeat(32)}`, time: new Date().toISOString().slice(0, 19) + 'Z' };
    const list = (revoked: number[]) => signStatusListCredential({ url, memberId: 2, revoked, builtFrom }, notary, new Date());

    const agrees = await verify(badge, '--status-list', file('list.json', await list([])), '--status-list-issuer', notary.did);
    expect(agrees.code, agrees.out).to.equal(0);
    expect(agrees.out).to.contain('status list: agrees: the status list as of block');

    const disagrees = await verify(badge, '--status-list', file('revoked.json', await list([77])), '--status-list-issuer', notary.did);
    expect(disagrees.code, 'the chain decides').to.equal(0);
    expect(disagrees.out).to.contain('status list: disagrees: the status list as of block');

    const tampered = (await list([])) as JsonObject;
    (tampered.credentialSubject as JsonObject).encodedList = ((await list([77])).credentialSubject as JsonObject).encodedList;
    const refused = await verify(badge, '--status-list', file('tampered.json', tampered), '--status-list-issuer', notary.did);
    expect(refused.out).to.match(/status list: invalid: .*signature does not hold/);

    const fetched = await verify(badge, '--status-list-issuer', notary.did);
    expect(fetched.out).to.match(/status list: unavailable: the status list http:\/\/127\.0\.0\.1:9\/v1\/status-lists\/2\/main could not be had/);

    const lone = await verify(badge, '--status-list', file('lone.json', await list([])));
    expect(lone.code).to.equal(2);
    expect(lone.err).to.contain('--status-list goes with --status-list-issuer');
  });

  it('verifies a JWT with its receipt in a separate file', async function () {
    const result = await verify(file('badge.jwt', jwt), '--receipt', file('badge.receipt.json', jwtReceipt));
    expect(result.code, result.out).to.equal(0);
  });

  it('verifies a receipt file alone, saying what it could not check', async function () {
    const result = await verify(file('only.receipt.json', jwtReceipt));
    expect(result.code, result.out).to.equal(0);
    expect(result.out).to.contain('only a receipt was given');
  });

  it('exits 1 for a tampered badge, naming the failed step', async function () {
    const tampered = structuredClone(attachReceiptToCredential(jsonCredential, jsonReceipt)) as JsonObject;
    tampered.name = 'A badge I did not earn';
    const result = await verify(file('tampered.json', tampered));
    expect(result.code).to.equal(1);
    expect(result.out).to.contain('tampered.json: NOT VERIFIED');
    expect(result.out).to.match(/✘ signature/);
  });

  it('exits 1 when the anchor lacks the confirmations asked for', async function () {
    const result = await verify(file('envelope.json', attachReceiptToJwt(jwt, jwtReceipt)), '--confirmations', '50');
    expect(result.code).to.equal(1);
    expect(result.out).to.contain('fewer than the 50 required');
  });

  it('exits 2 for a file that is no badge at all, and for a missing file', async function () {
    expect((await verify(file('notes.txt', 'just some notes'))).code).to.equal(2);
    const missing = await verify(join(directory, 'nowhere.json'));
    expect(missing.code).to.equal(2);
    expect(missing.out).to.contain('cannot read');
  });

  it('verifies baked badges: a PNG carrying a Data Integrity credential with its receipt, an SVG carrying a JWT and its receipt', async function () {
    const png = join(directory, 'badge.png');
    writeFileSync(png, bakePng({ image: demoBadgePng({ label: 'Silver' }), credential: attachReceiptToCredential(jsonCredential, jsonReceipt) }));
    const svg = file('badge.svg', bakeSvg({ image: demoBadgeSvg({ label: 'Silver' }), credential: jwt, receipt: jwtReceipt }));
    const result = await verify(png, svg);
    expect(result.code, result.out).to.equal(0);
    expect(result.out).to.contain('badge.png: VERIFIED');
    expect(result.out).to.contain('badge.svg: VERIFIED');
  });

  it('exits 2 for an image with no badge baked in', async function () {
    const png = join(directory, 'plain.png');
    writeFileSync(png, demoBadgePng({ label: 'Gold' }));
    const result = await verify(png);
    expect(result.code).to.equal(2);
    expect(result.out).to.contain('the image holds no usable badge');
  });

  it('checks many files in one run, with a summary and JSON output', async function () {
    const files = [
      file('a.json', attachReceiptToCredential(jsonCredential, jsonReceipt)),
      file('b.json', attachReceiptToJwt(jwt, jwtReceipt)),
      file('c.jwt', jwt),
    ];
    const result = await verify('--json', ...files);
    const parsed = JSON.parse(result.out);
    expect(parsed.summary).to.deep.equal({ verified: 2, 'not-verified': 1, unusable: 0 });
    expect(parsed.files.map((f: { outcome: string }) => f.outcome)).to.deep.equal(['verified', 'verified', 'not-verified']);
    expect(result.code).to.equal(1);
  });

  it('gives the same reports with --on-chain-proofs, where the registry also checks each Merkle proof', async function () {
    const files = [
      file('d.json', attachReceiptToCredential(jsonCredential, jsonReceipt)),
      file('e.json', attachReceiptToJwt(jwt, jwtReceipt)),
      file('f.jwt', jwt),
      file('g.json', attachReceiptToJwt(jwt, jsonReceipt)),
    ];
    // The clock's readings (to the millisecond) differ between the runs; the chain's times (to the second) do not.
    const withoutTimes = (out: string) => JSON.parse(out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'now'));
    const [offChain, onChain] = [await verify('--json', ...files), await verify('--json', '--on-chain-proofs', ...files)];
    expect(withoutTimes(onChain.out)).to.deep.equal(withoutTimes(offChain.out));
    expect(withoutTimes(offChain.out).summary).to.deep.equal({ verified: 2, 'not-verified': 2, unusable: 0 });
  });
});
