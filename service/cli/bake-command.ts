import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { BakingError, bakePng, bakeSvg, demoBadgePng, demoBadgeSvg } from '../baking';
import { isReceiptEntry } from '../merkle/embed';
import { isJsonObject, type JsonObject } from '../credentials/types';
import type { Receipt } from '../merkle';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { achievedLevelOf } from './earner-rows';
import { writeStaged } from './staged-output';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface BakeOptions {
  receipt?: string;
  image?: string;
  out: string;
  force?: boolean;
}

/** `bake`: a credential and its receipt into a PNG or SVG badge image, which `verify` reads back. */
export async function bake(environment: CommandEnvironment, credentialFile: string, options: BakeOptions): Promise<void> {
  const credential = await readCredential(credentialFile);
  const receipt = options.receipt === undefined ? undefined : ((await readJson(options.receipt, 'the receipt')) as Receipt);
  const base = options.image === undefined ? undefined : await readBytes(options.image, 'the image');
  const kind = imageKind(options, base);
  let baked: Buffer | string;
  try {
    if (kind === 'png') baked = bakePng({ image: base ?? demoBadgePng({ label: labelOf(credential) }), credential, receipt });
    else baked = bakeSvg({ image: base?.toString('utf8') ?? demoBadgeSvg({ label: labelOf(credential) }), credential, receipt });
  } catch (error) {
    if (error instanceof BakingError) throw new CliUsageError(`cannot bake ${credentialFile}: ${error.message}`);
    throw error;
  }
  await writeStaged(options.out, 'file', options.force, (output) => output.write(options.out, baked));
  const proofs = isJsonObject(credential) ? [credential.proof ?? []].flat() : [];
  const withReceipt = receipt !== undefined || proofs.some(isReceiptEntry);
  environment.output().result(
    `${credentialFile}${withReceipt ? ' and its receipt' : ' (no receipt: verify will need it given apart)'} baked into ${options.out}`,
    { credential: credentialFile, receipt: options.receipt, image: options.image, out: options.out, kind },
  );
}

/** PNG or SVG: by the base image's content, else by the --out extension. */
function imageKind(options: BakeOptions, base: Buffer | undefined): 'png' | 'svg' {
  const wanted = extname(options.out).toLowerCase();
  if (wanted !== '.png' && wanted !== '.svg') throw new CliUsageError(`--out ${options.out} must end in .png or .svg`);
  if (base === undefined) return wanted === '.png' ? 'png' : 'svg';
  const kind = base.subarray(0, 8).equals(PNG_SIGNATURE) ? 'png' : /<svg[\s>]/.test(base.subarray(0, 4096).toString('utf8')) ? 'svg' : undefined;
  if (kind === undefined) throw new CliUsageError(`the image ${options.image} is neither a PNG nor an SVG`);
  if (`.${kind}` !== wanted) throw new CliUsageError(`the image ${options.image} is ${kind.toUpperCase()}, but --out ${options.out} names ${wanted.slice(1).toUpperCase()}`);
  return kind;
}

/** The level the credential records, for the default image ("Badge" when none is found). */
function labelOf(credential: string | JsonObject): string {
  let document: unknown = credential;
  if (typeof credential === 'string') {
    try {
      const payload = JSON.parse(Buffer.from(credential.split('.')[1] ?? '', 'base64url').toString('utf8')) as JsonObject;
      document = isJsonObject(payload.vc) ? payload.vc : payload;
    } catch {
      document = undefined;
    }
  }
  return (isJsonObject(document) && achievedLevelOf(document)) || 'Badge';
}

async function readCredential(file: string): Promise<string | JsonObject> {
  const text = (await readBytes(file, 'the credential')).toString('utf8').trim();
  if (!text.startsWith('{')) return text;
  const json = parseJson(text, file, 'the credential');
  if (!isJsonObject(json)) throw new CliUsageError(`the credential ${file} is JSON but not an object`);
  return json;
}

async function readBytes(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new CliUsageError(`cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  return parseJson((await readBytes(file, what)).toString('utf8'), file, what);
}

function parseJson(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliUsageError(`${what} ${file} is not JSON: ${(cause as Error).message}`);
  }
}
