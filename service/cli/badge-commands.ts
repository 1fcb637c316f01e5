import { readFile } from 'node:fs/promises';
import type { BadgeClassDocument, BadgeClassId } from '../catalogue';
import { buildAchievementCredentialForClass, type BadgeInput } from '../credentials/builder';
import { CredentialError } from '../credentials/errors';
import { readClassArgument } from './class-commands';
import { importIssuerKey, type IssuerKey } from '../credentials/keys';
import { signCredential } from '../credentials/signer';
import { VC_V1_CONTEXT_URL } from '../credentials/loader';
import type { JsonObject } from '../credentials/types';
import { buildStatusEntry, randomStatusIndex, statusListAddressOf, StatusListError } from '../status-list';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { parseCsv } from './csv';
import { earnerRows, readTemplate, type EarnerRow } from './earner-rows';
import { progressBar } from './progress';
import { refuseExisting, writeStaged } from './staged-output';

type IssueFormat = 'vc-jwt' | 'data-integrity';
const EXTENSIONS: Record<IssueFormat, string> = { 'vc-jwt': 'jwt', 'data-integrity': 'json' };

export interface IssueOptions {
  template: string;
  csv: string;
  issuerKey: string;
  format: string;
  outDir?: string;
  out?: string;
  force?: boolean;
  /** The status list URL every credential gets a revocation entry in. */
  statusList?: string;
  /** A badge-class document file or a published class's id: each credential is issued against it (buildAchievementCredentialForClass). */
  class?: string;
  /** The notary service to fetch a class document from, for --class <id>. */
  url?: string;
}

/** `badge issue`: one signed OB 3.0 credential per CSV row, written all together or not at all. */
export async function issueBadges(environment: CommandEnvironment, options: IssueOptions): Promise<void> {
  const format = parseFormat(options.format);
  if ((options.outDir === undefined) === (options.out === undefined)) throw new CliUsageError('give --out-dir FOLDER or --out FILE.json (one of them)');
  const target = (options.outDir ?? options.out)!;
  refuseExisting(target, options.force);
  const key = await readIssuerKey(options.issuerKey);
  if (format === 'data-integrity' && key.type !== 'Ed25519') {
    throw new CliUsageError(`data-integrity (eddsa-rdfc-2022) signs with Ed25519 keys only, and ${options.issuerKey} holds a ${key.type} key: use --format vc-jwt`);
  }
  const now = new Date();
  const chosenClass = options.class === undefined ? undefined : await readClassArgument(environment, options.class, { url: options.url });
  if (chosenClass) await warnIfUnpublished(environment, chosenClass.classId);
  const badgeClass = chosenClass?.document;
  const templateJson = await readJson(options.template, 'the template');
  const template = readTemplate(badgeClass ? withClassDefaults(templateJson, badgeClass) : templateJson, options.template, now);
  const build = badgeClass ? (input: BadgeInput) => buildAchievementCredentialForClass(input, badgeClass) : undefined;
  const rows = earnerRows(parseCsv(await readText(options.csv, 'the CSV'), options.csv), template, options.csv, now, undefined, build);
  if (options.statusList !== undefined) addStatusEntries(rows, options.statusList);

  // One proof time and one expansion per badge shape: Data Integrity then costs about a tenth of signing each alone.
  const signing: Signing = { key, format, created: now };
  const started = performance.now();
  const progress = progressBar(process.stderr, rows.length, 'signing');
  try {
    if (options.outDir !== undefined) {
      const width = Math.max(4, String(rows.length).length);
      await writeStaged(target, 'folder', options.force, async (output) => {
        for (const [index, row] of rows.entries()) {
          const signed = await sign(row, signing);
          await output.write(`${String(index + 1).padStart(width, '0')}.${EXTENSIONS[format]}`, typeof signed === 'string' ? `${signed}\n` : `${JSON.stringify(signed, null, 2)}\n`);
          progress.increment();
        }
      });
    } else {
      await writeStaged(target, 'file', options.force, async (output) => {
        const signed: (string | JsonObject)[] = [];
        for (const row of rows) {
          signed.push(await sign(row, signing));
          progress.increment();
        }
        await output.write(target, `${JSON.stringify(signed, null, 2)}\n`);
      });
    }
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(rows.length / seconds);
  environment.output().result(
    `${rows.length} credential(s) signed (${format}) and written to ${target} in ${seconds.toFixed(1)} s (${rate} rows/s)`,
    { count: rows.length, format, out: target, seconds: Number(seconds.toFixed(3)), rowsPerSecond: rate },
  );
}

/**
 * A class given as a file may not be published yet: the badges are made all the same (a member may prepare them
 * first), but the notary refuses them until it is, so the issuer is told now rather than at notarisation. Said only
 * when a catalogue is configured (a deployment record) and answers.
 */
async function warnIfUnpublished(environment: CommandEnvironment, classId: BadgeClassId): Promise<void> {
  let published: boolean;
  try {
    const reader = environment.chain().catalogueReader();
    if (!reader) return;
    published = (await reader.badgeClass(classId)) !== undefined;
  } catch {
    return; // no chain configured or reachable: nothing to say about it here
  }
  if (!published) {
    environment.output().warning(`badge class ${classId} is not published in the network's catalogue: the notary will refuse these badges until its publisher runs \`class publish\``);
  }
}

/**
 * A template issued against a class need not repeat what the class says: its name, description, criteria (in
 * English, the credential's language) and image come from the class unless the template gives its own.
 */
function withClassDefaults(template: unknown, badgeClass: BadgeClassDocument): unknown {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) return template;
  return {
    name: badgeClass.name.en,
    description: badgeClass.description.en,
    criteria: { narrative: badgeClass.criteria.en },
    image: { id: badgeClass.image, caption: badgeClass.name.en },
    ...template,
  };
}

/** What every credential of a run shares: the key, the format, one proof time, one canonicalisation cache. */
interface Signing {
  key: IssuerKey;
  format: IssueFormat;
  created: Date;
}

async function sign(row: EarnerRow, { key, format, created }: Signing): Promise<string | JsonObject> {
  try {
    return await signCredential({ credential: row.credential, key, format, created });
  } catch (error) {
    if (error instanceof CredentialError) throw new CliUsageError(`line ${row.line}: cannot sign: ${error.shortMessage}`);
    throw error;
  }
}

/**
 * A revocation entry per credential, at distinct random indexes of the list (the notary refuses an index already
 * bound to another credential: a clash with an earlier run is reported at submission, and that row issued again).
 */
function addStatusEntries(rows: EarnerRow[], url: string): void {
  if (!statusListAddressOf(url)) {
    throw new CliUsageError(`--status-list ${url} is not a status list URL of the notary: <service>/v1/status-lists/<member id>/<list>`);
  }
  const drawn = new Set<number>();
  for (const row of rows) {
    const contexts = row.credential['@context'];
    if (Array.isArray(contexts) && contexts[0] === VC_V1_CONTEXT_URL) {
      throw new CliUsageError('--status-list needs VC 2.0 credentials (BitstringStatusListEntry is a VC 2.0 term): remove vcVersion "1.1" from the template');
    }
    let index = randomStatusIndex();
    while (drawn.has(index)) index = randomStatusIndex();
    drawn.add(index);
    try {
      row.credential.credentialStatus = buildStatusEntry(url, index);
    } catch (error) {
      if (error instanceof StatusListError) throw new CliUsageError(`--status-list ${url}: ${error.shortMessage}`);
      throw error;
    }
  }
}

function parseFormat(text: string): IssueFormat {
  if (text === 'vc-jwt' || text === 'data-integrity') return text;
  throw new CliUsageError(`"${text}" is not a format: expected vc-jwt or data-integrity`);
}

async function readIssuerKey(file: string): Promise<IssuerKey> {
  try {
    return importIssuerKey(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CliUsageError(`cannot use the issuer key ${file}: ${(cause as Error).message}`);
  }
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new CliUsageError(`cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  const text = await readText(file, what);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliUsageError(`${what} ${file} is not JSON: ${(cause as Error).message}`);
  }
}
