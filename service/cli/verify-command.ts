import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { unbake } from '../baking';
import { MAX_JSON_DEPTH, nestsTooDeep } from '../credentials/json-depth';
import { RECEIPT_VERSION, checkReceipt, isoSeconds } from '../merkle';
import { fetchClassDocument } from './class-commands';
import { verifyBadge, type VerifyBadgeParameters, type RegistryReader, type StatusListSource, type VerificationReport, type VerificationStep } from '../verify';
import { CliUsageError, describeChainFailure, EXIT_FAILED, EXIT_OK, EXIT_USAGE, isChainError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { jsonReplacer } from './output';
import { parsePositiveInteger } from './parse-arguments';
import { statusListSource } from './status-list-source';

/** What one file turned out to be, and how its check went. */
export interface FileOutcome {
  file: string;
  /**
   * verified; not verified; the file could not be used at all; or the verifier could not decide, because the
   * chain did not answer.
   */
  outcome: 'verified' | 'not-verified' | 'unusable' | 'cannot-check';
  report?: VerificationReport;
  /** For a receipt given alone: its anchor check. */
  receiptOnly?: { steps: VerificationStep[] };
  error?: string;
}

const SYMBOL: Record<VerificationStep['status'], string> = { passed: '✔', failed: '✘', skipped: '–' };

/** A file's content as a badge: a credential (maybe with its receipt inside), a receipt alone, or a baked image. */
type BadgeFile = { kind: 'credential'; credential: unknown; receipt?: unknown } | { kind: 'receipt'; receipt: unknown };

async function readBadgeFile(path: string, separateReceipt: unknown): Promise<BadgeFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new CliUsageError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
  const baked = unbakeIfImage(bytes);
  if (baked) return notTooDeep(path, { kind: 'credential', credential: baked.credential, receipt: separateReceipt ?? baked.receipt });
  const extension = extname(path).toLowerCase();
  if (extension === '.png' || extension === '.svg') {
    throw new CliUsageError(`${path} is not a badge: it is named ${extension} but is not a${extension === '.png' ? ' PNG' : 'n SVG'} image`);
  }
  if (isBinary(bytes)) {
    throw new CliUsageError(`${path} is not a badge: it is binary data, neither a PNG or SVG image nor text (a JSON credential, a JWT or a receipt)`);
  }
  const text = bytes.toString('utf8').trim();
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliUsageError(`${path} is neither a credential nor a receipt: it starts like JSON but does not parse`);
    }
    if ((json as { version?: unknown }).version === RECEIPT_VERSION) return notTooDeep(path, { kind: 'receipt', receipt: json });
    return notTooDeep(path, { kind: 'credential', credential: json, receipt: separateReceipt });
  }
  return notTooDeep(path, { kind: 'credential', credential: text, receipt: separateReceipt });
}

/** Bytes that are no text: a NUL byte, or not UTF-8. */
function isBinary(bytes: Buffer): boolean {
  if (bytes.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/**
 * The reader with its calls watched: `failure()` is the first error a call threw. A reader that threw means
 * the chain failed to answer, not that the badge failed a check: the verifier could not decide.
 */
function watchedReader(reader: RegistryReader): { reader: RegistryReader; failure(): unknown } {
  let failure: unknown;
  const note = (error: unknown) => {
    failure ??= error;
    throw error;
  };
  const watched = new Proxy(reader, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(target, args);
          return result instanceof Promise ? result.catch(note) : result;
        } catch (error) {
          return note(error);
        }
      };
    },
  });
  return { reader: watched, failure: () => failure };
}

/** A document nested thousands of levels deep would overflow the stack of the readers further in: unusable. */
function notTooDeep(path: string, content: BadgeFile): BadgeFile {
  const parts = content.kind === 'receipt' ? [content.receipt] : [content.credential, content.receipt];
  if (parts.some((part) => nestsTooDeep(part))) throw new CliUsageError(`${path} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep: no badge does`);
  return content;
}

/** A baked PNG or SVG badge's credential and receipt, or undefined when the bytes are no image. */
function unbakeIfImage(bytes: Buffer): { credential: unknown; receipt?: unknown } | undefined {
  const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const head = bytes.subarray(0, 512).toString('utf8');
  const isSvg = /<svg[\s>]/.test(head) || (head.trimStart().startsWith('<?xml') && bytes.includes('<svg'));
  if (!isPng && !isSvg) return undefined;
  try {
    const result = unbake(isPng ? bytes : bytes.toString('utf8'));
    return { credential: result.credential, receipt: result.receipt };
  } catch (cause) {
    throw new CliUsageError(`the image holds no usable badge: ${(cause as Error).message}`);
  }
}

/** A receipt given without its credential: digest -> leaf -> proof -> root, and the root in the registry. */
async function checkReceiptAlone(receiptValue: unknown, environment: CommandEnvironment, options: VerifyOptions): Promise<VerificationStep[]> {
  const { minConfirmations } = options;
  const offline = await checkReceipt(receiptValue);
  if (!offline.valid) return [{ name: 'anchor', status: 'failed', message: `the receipt does not hold: ${offline.message}` }];
  const receipt = offline.receipt;
  const reader = environment.chain().verificationReader({ onChainProofs: options.onChainProofs });
  const expected = `eip155:${await reader.chainId()}:${reader.registry}`;
  if (receipt.anchor.registry.toLowerCase() !== expected.toLowerCase()) {
    return [{ name: 'anchor', status: 'failed', message: `the receipt points at registry ${receipt.anchor.registry}, but this verifier checks ${expected}` }];
  }
  const landing = (await reader.landingOfTransaction(receipt.anchor.transactionHash, receipt.root)) ?? (await reader.findLanding(receipt.root));
  if (!landing) return [{ name: 'anchor', status: 'failed', message: `root ${receipt.root} is not anchored in the registry` }];
  const confirmations = (await reader.headBlockNumber()) - landing.blockNumber + 1;
  const steps: VerificationStep[] = [
    confirmations < minConfirmations
      ? { name: 'anchor', status: 'failed', message: `root ${receipt.root} has ${confirmations} confirmation(s), fewer than the ${minConfirmations} required` }
      : {
          name: 'anchor',
          status: 'passed',
          message: `digest ${receipt.digest} is in root ${receipt.root}, anchored in block ${landing.blockNumber} (${isoSeconds(receipt.anchor.blockTimestamp)}), ${confirmations} confirmation(s)`,
        },
  ];
  steps.push({ name: 'signature', status: 'skipped', message: 'only a receipt was given: the credential itself, its issuer and its revocation were not checked' });
  return steps;
}

/** How files are verified: the confirmations required, and whether bulk checks also prove every Merkle proof on-chain. */
export interface VerifyOptions {
  minConfirmations: number;
  onChainProofs?: boolean;
  /** Where credentials' W3C status lists come from, and whose are trusted; without it their entries are unchecked. */
  statusLists?: StatusListSource;
}

export async function verifyFile(file: string, separateReceipt: unknown, environment: CommandEnvironment, options: VerifyOptions): Promise<FileOutcome> {
  let content: BadgeFile;
  try {
    content = await readBadgeFile(file, separateReceipt);
  } catch (error) {
    if (error instanceof CliUsageError) return { file, outcome: 'unusable', error: error.message };
    throw error;
  }
  const rpcUrl = environment.chain().rpcUrl;
  const cannotCheck = (failure: unknown): FileOutcome => {
    const problem = describeChainFailure(failure, rpcUrl);
    return { file, outcome: 'cannot-check', error: `cannot check: ${problem.message}` };
  };
  if (content.kind === 'receipt') {
    try {
      const steps = await checkReceiptAlone(content.receipt, environment, options);
      return { file, outcome: steps[0].status === 'passed' ? 'verified' : 'not-verified', receiptOnly: { steps } };
    } catch (error) {
      if (isChainError(error)) return cannotCheck(error);
      throw error;
    }
  }
  const watched = watchedReader(environment.chain().verificationReader({ onChainProofs: options.onChainProofs }));
  const report = await verifyBadge({
    credential: content.credential,
    receipt: content.receipt,
    reader: watched.reader,
    now: new Date(),
    minConfirmations: options.minConfirmations,
    statusLists: options.statusLists,
    ...catalogueOf(environment),
  });
  const unreadable = report.steps[0].status === 'failed' && report.steps.slice(1).every((step) => step.status === 'skipped');
  if (!report.verified && !unreadable && watched.failure() !== undefined) return { ...cannotCheck(watched.failure()), report };
  return { file, outcome: report.verified ? 'verified' : unreadable ? 'unusable' : 'not-verified', report };
}

function describe(outcome: FileOutcome): string[] {
  const verdict = { verified: 'VERIFIED', 'not-verified': 'NOT VERIFIED', unusable: 'UNUSABLE', 'cannot-check': 'CANNOT CHECK' }[outcome.outcome];
  const lines = [`${outcome.file}: ${verdict}`];
  if (outcome.error) lines.push(`  ${outcome.error}`);
  const report = outcome.report;
  if (report?.credential) {
    const name = (report.credential.document.name as string | undefined)
      ?? (report.credential.document.credentialSubject as { achievement?: { name?: string } } | undefined)?.achievement?.name;
    lines.push(`  ${name ?? 'credential'} issued by ${report.credential.issuerDid}${report.issuer ? ` (member ${report.issuer.memberId})` : ''}`);
  }
  for (const step of report?.steps ?? outcome.receiptOnly?.steps ?? []) lines.push(`  ${SYMBOL[step.status]} ${step.name.padEnd(13)} ${step.message}`);
  if (report?.statusList) lines.push(`  status list: ${report.statusList.outcome}: ${report.statusList.message}`);
  return lines;
}

export interface VerifyCommandOptions {
  receipt?: string;
  confirmations: string;
  concurrency: string;
  onChainProofs?: boolean;
  statusList?: string;
  statusListIssuer?: string[];
}

/** `verify`: checks each file, several at once, prints a verdict per file and a summary, and sets the exit status. */
export async function verifyFiles(
  environment: CommandEnvironment,
  files: string[],
  options: VerifyCommandOptions,
  setExitCode: (code: number) => void
): Promise<void> {
  const verifyOptions: VerifyOptions = {
    minConfirmations: parsePositiveInteger(options.confirmations, '--confirmations'),
    onChainProofs: options.onChainProofs === true,
    statusLists: await statusListSource(options),
  };
  const concurrency = parsePositiveInteger(options.concurrency, '--concurrency');
  if (options.receipt && files.length !== 1) throw new CliUsageError('--receipt goes with exactly one credential file');
  const separateReceipt = options.receipt ? await readReceiptFile(options.receipt) : undefined;
  const output = environment.output();

  const showProgress = files.length > 1 && !output.json && Boolean(process.stderr.isTTY);
  const bar = showProgress ? new SingleBar({ format: 'verifying [{bar}] {value}/{total} files', stream: process.stderr }) : undefined;
  bar?.start(files.length, 0);
  const outcomes: FileOutcome[] = new Array(files.length);
  let next = 0;
  // A handful of files in flight at once: ethers batches their JSON-RPC calls into few HTTP round trips.
  await Promise.all(
    Array.from({ length: Math.min(concurrency, files.length) }, async () => {
      while (next < files.length) {
        const index = next++;
        outcomes[index] = await verifyFile(files[index], separateReceipt, environment, verifyOptions);
        bar?.increment();
      }
    }),
  );
  bar?.stop();

  const counts = { verified: 0, 'not-verified': 0, unusable: 0, 'cannot-check': 0 };
  for (const outcome of outcomes) counts[outcome.outcome]++;
  const { 'cannot-check': undecided, ...decided } = counts;
  const cannotCheck = undecided > 0 ? `, ${undecided} cannot be checked` : '';
  const summary = `${files.length} file(s): ${counts.verified} verified, ${counts['not-verified']} not verified, ${counts.unusable} unusable${cannotCheck}`;
  // "cannot-check" is in the JSON summary only when a file could not be checked.
  if (output.json) environment.io().out(JSON.stringify({ summary: undecided > 0 ? counts : decided, files: outcomes }, jsonReplacer, 2));
  else environment.io().out([...outcomes.flatMap((outcome) => [...describe(outcome), '']), summary].join('\n'));
  setExitCode(counts.unusable > 0 || undecided > 0 ? EXIT_USAGE : counts['not-verified'] > 0 ? EXIT_FAILED : EXIT_OK);
}

async function readReceiptFile(path: string): Promise<unknown> {
  let receipt: unknown;
  try {
    receipt = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new CliUsageError(`cannot read the receipt ${basename(path)}: ${(cause as Error).message}`);
  }
  if (nestsTooDeep(receipt)) throw new CliUsageError(`the receipt ${basename(path)} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
  return receipt;
}

/** The catalogue and class documents (fetched from their URIs) for a credential issued against a badge class. */
function catalogueOf(environment: CommandEnvironment): Pick<VerifyBadgeParameters, 'catalogue' | 'classDocuments'> {
  const catalogue = environment.chain().catalogueReader();
  return catalogue ? { catalogue, classDocuments: fetchClassDocument } : {};
}
