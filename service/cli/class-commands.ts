// `badge-notary class publish|adopt|withdraw|show|search`: the network's badge-class catalogue (docs/catalogue.md).
import { readFile } from 'node:fs/promises';
import type { ContractTransactionResponse } from 'ethers';
import { BadgeClassError, badgeClassId, parseBadgeClass, type BadgeClassDocument, type BadgeClassId } from '../catalogue';
import { withCatalogueErrors } from '../chain/catalogue-errors';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { formatTime, parseBytes32 } from './parse-arguments';
import { ServiceClient, serviceUrl, type ServiceOptions } from './service-client';
import { apiKeyFrom } from './service-commands';

const FETCH_TIMEOUT_MS = 10_000;

export interface PublishOptions extends ServiceOptions {
  uri?: string;
}

/** Reads and validates a class document file; a wrong field is a usage error naming it. */
export async function readClassFile(file: string): Promise<{ document: BadgeClassDocument; classId: BadgeClassId }> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CliUsageError(`cannot read the badge-class document ${file}: ${(cause as Error).message}`);
  }
  try {
    const document = parseBadgeClass(value);
    return { document, classId: badgeClassId(document) };
  } catch (error) {
    if (error instanceof BadgeClassError) throw new CliUsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/**
 * The class a `--class` option names: a document file, or a published class's id (0x and 64 hex digits), whose
 * document is fetched from the notary service (when configured) or from the URI the chain records, and checked
 * against the id.
 */
export async function readClassArgument(
  environment: CommandEnvironment,
  value: string,
  options: ServiceOptions = {},
): Promise<{ document: BadgeClassDocument; classId: BadgeClassId }> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) return readClassFile(value);
  const classId = value.toLowerCase() as BadgeClassId;
  const reader = environment.chain().catalogueReader();
  if (!reader) throw new CliUsageError('--class names a class by id, but no badge-class catalogue is known: point --deployment at a deployment record that names one, or give the document file');
  const record = await reader.badgeClass(classId);
  if (!record) throw new CliUsageError(`badge class ${classId} is not published in the network's catalogue`);
  const found = await classDocument(classId, record.uri, options, environment.env());
  if ('problem' in found) throw new CliUsageError(`cannot get the document of badge class ${classId}: ${found.problem}`);
  return { document: found.document, classId };
}

/** The service is configured when a URL or an API key is given (flag or environment). */
function serviceConfigured(options: ServiceOptions, env: NodeJS.ProcessEnv): boolean {
  return Boolean(options.url ?? options.apiKeyFile ?? env.BADGE_NOTARY_URL ?? env.BADGE_NOTARY_API_KEY_FILE ?? env.BADGE_NOTARY_API_KEY);
}

/**
 * `class publish <file>`: validates the document, computes its id, uploads it to the notary service when one is
 * configured (so that the service can check badges issued against it), then publishes it on-chain, or supersedes
 * the version it names in `supersedes`. The URI recorded is --uri, or the service's copy of the document.
 */
export async function publishClass(environment: CommandEnvironment, file: string, options: PublishOptions): Promise<void> {
  const env = environment.env();
  const { document, classId } = await readClassFile(file);
  const useService = serviceConfigured(options, env);
  if (!useService && !options.uri) {
    throw new CliUsageError('give --uri where the document can be fetched, or a notary service (--url and --api-key-file) to upload it to');
  }
  const chain = environment.chain();
  const catalogue = chain.catalogueContract(true);
  let uri = options.uri;
  let uploaded: string | undefined;
  if (useService) {
    const url = serviceUrl(options, env);
    const client = new ServiceClient(url, `Bearer ${await apiKeyFrom(options, env)}`);
    const path = `/v1/badge-classes/${classId}/document`;
    await client.request('PUT', path, document);
    uploaded = new URL(path, url).toString();
    uri ??= uploaded;
  }
  const what = document.supersedes ? `badge class ${classId} superseding ${document.supersedes}` : `badge class ${classId}`;
  const sent = await send(`cannot publish ${what}`, () =>
    document.supersedes ? catalogue.supersede(document.supersedes, classId, uri!) : catalogue.publish(classId, uri!),
  );
  environment.output().result(
    [
      `published ${what}: "${document.name.en}" / "${document.name.it}"`,
      `document ${uri}${uploaded ? ' (uploaded to the notary service)' : ''}`,
      `transaction ${sent}`,
    ],
    { classId, supersedes: document.supersedes ?? null, uri, uploaded: uploaded !== undefined, transaction: sent },
  );
}

/** `class adopt <id>` and `class withdraw <id>`: the acting member declares (or stops declaring) it issues against the class. */
export async function changeAdoption(environment: CommandEnvironment, action: 'adopt' | 'withdraw', idText: string): Promise<void> {
  const classId = parseBytes32(idText, 'badge class id') as BadgeClassId;
  const chain = environment.chain();
  const catalogue = chain.catalogueContract(true);
  const member = await chain.actingMember();
  const sent = await send(`member ${member} cannot ${action === 'adopt' ? 'adopt' : 'withdraw its adoption of'} badge class ${classId}`, () =>
    action === 'adopt' ? catalogue.adopt(classId) : catalogue.withdrawAdoption(classId),
  );
  environment.output().result(
    [`member ${member} ${action === 'adopt' ? 'adopts' : 'no longer adopts'} badge class ${classId}`, `transaction ${sent}`],
    { classId, memberId: member, adopted: action === 'adopt', transaction: sent },
  );
}

/** `class show <id>`: the class as the chain records it, and a summary of its document (fetched from its URI or the service). */
export async function showClass(environment: CommandEnvironment, idText: string, options: ServiceOptions & { document?: string }): Promise<void> {
  const classId = parseBytes32(idText, 'badge class id') as BadgeClassId;
  const chain = environment.chain();
  const reader = chain.catalogueReader();
  if (!reader) throw new CliUsageError('no badge-class catalogue is known: point --deployment at a deployment record that names one (its "catalogue")');
  const record = await reader.badgeClass(classId);
  if (!record) throw new CliUsageError(`badge class ${classId} is not published in the network's catalogue`);
  const [publisher, adopterIds] = await Promise.all([reader.member(record.publisher), reader.adopters(classId)]);
  const adopters = await Promise.all(adopterIds.map(async (id) => (await reader.member(id)) ?? { memberId: id, did: '?' }));
  const found = await classDocument(classId, record.uri, options, environment.env());
  const lines = [
    `badge class ${classId}`,
    `  published by member ${record.publisher} (${publisher?.did ?? '?'}${publisher && publisher.status !== 'active' ? `, ${publisher.status}` : ''}) at ${formatTime(record.publishedAt)}`,
    `  document ${record.uri}`,
    ...(record.supersedes ? [`  supersedes ${record.supersedes}`] : []),
    ...(record.supersededBy ? [`  superseded by ${record.supersededBy}`] : ['  current version']),
    `  adopted by ${adopters.length ? adopters.map((m) => `member ${m.memberId} (${m.did})`).join(', ') : 'no member'}`,
    ...('document' in found ? documentSummary(found.document, found.source) : [`  document not checked: ${found.problem}`]),
  ];
  environment.output().result(lines, {
    classId,
    record: { ...record, publisherDid: publisher?.did ?? null },
    adopters: adopters.map(({ memberId, did }) => ({ memberId, did })),
    ...('document' in found ? { document: found.document, documentSource: found.source } : { documentProblem: found.problem }),
  });
}

function documentSummary(document: BadgeClassDocument, source: string): string[] {
  const bands = document.score?.bands.map((band) => `${band.level} ${band.from}-${band.to}`).join(', ');
  return [
    `  name: ${document.name.en} / ${document.name.it} (document from ${source}, its hash checked)`,
    `  levels: ${document.levels.map((level) => level.name).join(', ')}${bands ? ` (score ${document.score!.min}-${document.score!.max}: ${bands})` : ''}`,
    `  alignments: ${document.alignments.map((a) => `${a.framework} ${a.targetCode} ${a.targetName}`).join('; ')}`,
    `  co-issuance: ${document.coIssuance.required ? `required, by a ${document.coIssuance.role}` : 'not required'}`,
    `  evidence: ${document.evidence.required ? 'required' : 'not required'}`,
  ];
}

/** The class document from a file, the service, or its URI; checked against the id. */
async function classDocument(
  classId: BadgeClassId,
  uri: string,
  options: ServiceOptions & { document?: string },
  env: NodeJS.ProcessEnv,
): Promise<{ document: BadgeClassDocument; source: string } | { problem: string }> {
  if (options.document) {
    const { document, classId: id } = await readClassFile(options.document);
    if (id !== classId) throw new CliUsageError(`${options.document} is not badge class ${classId}: its id is ${id}`);
    return { document, source: options.document };
  }
  const sources = serviceConfigured(options, env) ? [new URL(`/v1/badge-classes/${classId}/document`, serviceUrl(options, env)).toString(), uri] : [uri];
  const problems: string[] = [];
  for (const source of sources) {
    try {
      const document = parseBadgeClass(await fetchClassDocument(classId, source));
      const id = badgeClassId(document);
      if (id === classId) return { document, source };
      problems.push(`${source} holds another document (its id is ${id})`);
    } catch (error) {
      problems.push(`${source}: ${(error as Error).message}`);
    }
  }
  return { problem: problems.join('; ') };
}

/** GET of a class document over http(s) (the verifier's ClassDocumentSource for the command line). */
export async function fetchClassDocument(_classId: BadgeClassId, uri: string): Promise<unknown> {
  if (!/^https?:\/\//.test(uri)) throw new Error(`${uri} is not an http(s) URL`);
  const response = await fetch(uri, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${uri} answered ${response.status}`);
  return (await response.json()) as unknown;
}

export interface SearchOptions extends ServiceOptions {
  framework?: string;
  level?: string;
}

interface FoundClass {
  classId: string;
  name: { en: string; it: string } | null;
  levels: { name: string }[] | null;
  adopters: unknown[];
  current?: boolean;
}

/** `class search <words...>`: the notary service's catalogue search (GET /v1/badge-classes). */
export async function searchClasses(environment: CommandEnvironment, words: string[], options: SearchOptions): Promise<void> {
  const url = serviceUrl(options, environment.env());
  const query = new URLSearchParams();
  if (words.length) query.set('q', words.join(' '));
  if (options.framework) query.set('framework', options.framework);
  if (options.level) query.set('level', options.level);
  const { body } = await new ServiceClient(url).request<{ badgeClasses: FoundClass[] }>('GET', `/v1/badge-classes?${query.toString()}`);
  const found = body.badgeClasses ?? [];
  if (!environment.output().json && found.length === 0) {
    environment.io().out(`no badge class matches${words.length ? ` "${words.join(' ')}"` : ''}`);
    return;
  }
  environment.output().table(
    ['class id', 'name', 'levels', 'adopters'],
    found.map((c) => [c.classId, c.name ? c.name.en : '(document not held)', c.levels?.map((l) => l.name).join('/') ?? '-', String(c.adopters.length)]),
    body,
  );
}

async function send(context: string, call: () => Promise<ContractTransactionResponse>): Promise<string> {
  return withCatalogueErrors(context, async () => {
    const response = await call();
    const receipt = await response.wait();
    return receipt?.hash ?? response.hash;
  });
}
