/**
 * `member did-document`: a member's did:web DID document generated from the chain, to host at
 * /.well-known/did.json. The keys the member published with registerPublicKey are read from its
 * SigningKeyPublished events; a key registered by its hash only (registerKey) can be named with --key.
 * A key valid now, as the chain's clock says, is an assertionMethod; a revoked or expired one a method only.
 */
import { writeFileSync } from 'node:fs';
import type { ConfederationRegistry } from '../../typechain-types';
import {
  keyHashOf,
  memberDidDocument,
  publicKeyFromMulticodecHex,
  publicKeyOf,
  type MemberDocumentKey,
  type PublicKeyInfo,
} from '../credentials';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { parseMemberReference } from './parse-arguments';

/** `member did-document`: the member's did:web DID document, from the keys it published on-chain (and --key ones). */
export async function writeDidDocument(environment: CommandEnvironment, reference: string, options: { key?: string[]; out?: string }): Promise<void> {
  const chain = environment.chain();
  const memberId = await chain.memberId(parseMemberReference(reference));
  const registry = chain.reader();
  const { did } = await registry.getMember(memberId);
  // "now" as the chain sees it, when its clock runs ahead of this machine's (a key revoked now is out now)
  const latest = await registry.runner?.provider?.getBlock('latest');
  const now = Math.max(Math.floor(Date.now() / 1000), latest?.timestamp ?? 0);
  const published = await publishedKeys(registry, memberId, chain.deploymentBlock);
  const keys: MemberDocumentKey[] = [];
  for (const { key, keyHash } of published) {
    keys.push({ key, assertion: await registry.isKeyValidAt(memberId, keyHash, now) });
  }
  const listed = new Set(published.map(({ keyHash }) => keyHash));
  for (const text of options.key ?? []) {
    const key = parsePublicKey(text);
    const keyHash = keyHashOf(key);
    if (listed.has(keyHash)) continue;
    if (Number((await registry.getKey(keyHash)).memberId) !== memberId) {
      throw new CliUsageError(`key ${key.multibase} (key hash ${keyHash}) is not registered to member ${memberId}: register it with key add`);
    }
    listed.add(keyHash);
    keys.push({ key, assertion: await registry.isKeyValidAt(memberId, keyHash, now) });
  }
  const document = memberDidDocument(did, keys);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, text);
  const signing = keys.filter((key) => key.assertion).length;
  const summary = `DID document of ${did}: ${keys.length} key(s), ${signing} valid now (assertionMethod)`;
  if (!options.out) environment.output().result(text.trimEnd(), document);
  else environment.output().result([summary, `written to ${options.out}; host it at ${wellKnownUrl(did)}`], { did, out: options.out, document });
}

/**
 * The keys member `memberId` published (SigningKeyPublished), in the order it registered them. Each event comes
 * with the registration of the same key to the same member, so the key is the member's.
 */
async function publishedKeys(registry: ConfederationRegistry, memberId: number, fromBlock: number) {
  const logs = await registry.queryFilter(registry.filters.SigningKeyPublished(memberId), fromBlock, 'latest');
  return logs.map((log) => ({ keyHash: log.args.keyHash.toLowerCase(), key: publicKeyFromMulticodecHex(log.args.publicKey) }));
}

function parsePublicKey(text: string): PublicKeyInfo {
  try {
    return publicKeyOf(text);
  } catch (cause) {
    throw new CliUsageError(`--key "${text.slice(0, 80)}" is not a public key (did:key, Multikey or JWK): ${(cause as Error).message}`);
  }
}

/** Where a did:web's document is fetched from (did:web:host -> https://host/.well-known/did.json; a path -> /path/did.json). */
export function wellKnownUrl(did: string): string {
  if (!did.startsWith('did:web:')) return 'the address its DID method resolves';
  const [host, ...path] = did.slice('did:web:'.length).split(':').map((part) => decodeURIComponent(part));
  return path.length ? `https://${host}/${path.join('/')}/did.json` : `https://${host}/.well-known/did.json`;
}
