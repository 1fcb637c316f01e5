/**
 * npm start: runs the notary service. With no BADGE_NOTARY_RPC_URL it runs embedded: a local chain on
 * 127.0.0.1 with the registry and a demo member, SQLite in ./data, and it prints a command that notarises
 * a demo badge. Every setting is an environment variable (service/config/config.ts, README.md).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, loadConfig } from '../service/config/config';
import { storageDescription } from '../service/config/storage-description';
import { buildAchievementCredential } from '../service/credentials/builder';
import { signCredential } from '../service/credentials/signer';
import { demoBadgeInput } from '../service/demo/demo-badge';
import { redactUrls } from '../service/errors';
import { DEMO_MEMBER } from '../service/embedded/embedded-chain';
import { createApiClient } from '../service/http';
import { startNotary, StartupError, type RunningNotary } from '../service/notary-process';

async function writeDemoFiles(notary: RunningNotary): Promise<{ apiKeyFile: string; badgeFile: string }> {
  const { dataDir } = notary.config;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { apiKey } = await createApiClient(notary.store, { memberId: 1, role: 'admin', label: 'demo administrator (npm start)' });
  const apiKeyFile = join(dataDir, 'demo-api-key');
  writeFileSync(apiKeyFile, `${apiKey}\n`, { mode: 0o600 });
  const credential = buildAchievementCredential(
    demoBadgeInput({ issuerDid: DEMO_MEMBER.did, issuerName: DEMO_MEMBER.name, issuerEmail: DEMO_MEMBER.email }),
  );
  const jwt = await signCredential({ credential, key: notary.embedded!.demoIssuerKey, format: 'vc-jwt' });
  const badgeFile = join(dataDir, 'demo-badge.jwt');
  // The receipt of the last start's demo badge is for another badge on another chain: aside, with its database.
  const receiptFile = `${badgeFile}.receipt.json`;
  if (existsSync(receiptFile)) {
    mkdirSync(join(dataDir, 'previous'), { recursive: true, mode: 0o700 });
    renameSync(receiptFile, join(dataDir, 'previous', `demo-badge-${new Date().toISOString().replace(/[:.]/g, '-')}.jwt.receipt.json`));
  }
  writeFileSync(badgeFile, `${jwt}\n`, { mode: 0o600 });
  return { apiKeyFile, badgeFile };
}

const dataDir = (notary: RunningNotary) => notary.config.dataDir;

async function main(): Promise<void> {
  // Everything the service writes (database, its -wal and -shm, deployment record, demo key and files) is
  // for its own user only: it holds credentials and API key hashes.
  process.umask(0o077);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }

  // The handlers come before the start: a SIGTERM or Ctrl-C while the chain and the database are being set up
  // (seconds) waits for the start to finish and then stops everything it started, rather than ending the process
  // halfway through a database being moved aside or a file being written. (The local chain's node would end
  // with the process anyway: service/chain/end-with-parent.js.)
  let stopSignal: string | undefined;
  let stopNow: (() => void) | undefined;
  const shutdown = (signal: string) => {
    if (stopSignal) return;
    stopSignal = signal;
    console.error(`\n${signal}: stopping${stopNow ? '' : ' once the start under way has finished'}`);
    stopNow?.();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const notary = await startNotary(config);
  try {
    if (!stopSignal) await printBanner(notary);
  } finally {
    stopNow = () => void notary.stop().then(() => process.exit(0));
    if (stopSignal) stopNow();
  }
}

/** What runs where, and in embedded mode the commands that notarise and verify the demo badge. */
async function printBanner(notary: RunningNotary): Promise<void> {
  const { config } = notary;
  const lines = [
    '',
    `badge-notary is running at ${notary.url}`,
    `  registry  eip155:${notary.binding.chainId}:${notary.binding.registry} (chain ${redactUrls(notary.rpcUrl)})`,
    `  database  ${storageDescription(config)}`,
    `  page      ${notary.url}/   (verify a badge in the browser, in Italian or English)`,
    `  API       ${notary.url}/openapi.json   health ${notary.url}/health   ready ${notary.url}/ready   metrics ${notary.url}/metrics`,
  ];
  if (notary.embedded) {
    const { apiKeyFile, badgeFile } = await writeDemoFiles(notary);
    const deployment = relative(process.cwd(), join(dataDir(notary), 'deployment.json'));
    const env = `BADGE_NOTARY_URL=${notary.url} BADGE_NOTARY_RPC_URL=${notary.rpcUrl} BADGE_NOTARY_DEPLOYMENT=${deployment}`;
    lines.push(
      `  local chain, new on every start (Hardhat's well-known test accounts: their keys are public)`,
      `  demo member 1 ${DEMO_MEMBER.did}; its administrator's API key is in ${relative(process.cwd(), apiKeyFile)}`,
      ...(notary.archivedDatabase ? [`  the previous chain's database was moved to ${relative(process.cwd(), notary.archivedDatabase)}`] : []),
      '',
      'Notarise the demo badge, wait for its receipt, then verify it (in another terminal):',
      `  ${env} npx badge-notary notarise --api-key-file ${relative(process.cwd(), apiKeyFile)} --wait ${relative(process.cwd(), badgeFile)}`,
      `  ${env} npx badge-notary verify ${relative(process.cwd(), badgeFile)} --receipt ${relative(process.cwd(), badgeFile)}.receipt.json`,
      '',
      'Stop with Ctrl-C.',
    );
  }
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(`badge-notary could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof StartupError ? 2 : 1;
});
