import type { CredentialError, VerifyCredentialResult } from '../credentials';
import { digestInput, digestOfInput, loadDigester, readSignedArtifact } from '../credentials/digest';
import type { CredentialFormat, CredentialInput } from '../credentials/types';
import { MAX_JSON_DEPTH, nestsTooDeep } from '../credentials/json-depth';
import { NotaryError } from '../errors';
import { Role, Status, type SigningKey } from '../registry';
import type { NewCredential } from '../store';
import { keyProblem, type RegistryDirectory } from './directory';
import { checkStatusEntries, type StatusIndexLookup } from './status-entries';
import { UseCaseError } from './errors';
import { checkClassConformance } from './class-conformance';
import type { Actor, BadgeClassCatalogueMirror, BatchStore, Clock, CredentialState, CredentialStore, CredentialVerifier } from './ports';

/** What intake says about one credential it took. */
export interface AcceptedCredential {
  index: number;
  digest: string;
  format: CredentialFormat;
  /** false: the same credential was already here; nothing new was stored. */
  created: boolean;
  state: CredentialState;
}

/** Why one credential of a request was refused. */
export interface RejectedCredential {
  index: number;
  /** The request field that holds it: `credential`, `credentials[3]`, or `body`. */
  field: string;
  code: string;
  message: string;
  /** Schema problems, path by path, when the schema check failed. */
  problems?: unknown;
}

/** The credentials of one intake request, and where each sits in it. */
export interface IntakeRequest {
  items: unknown[];
  bulk: boolean;
  fieldOf(index: number): string;
}

const kebab = (code: string) => code.toLowerCase().replace(/_/g, '-');

/** Accepted among failed offline checks: a credential may be notarised before it becomes valid. */
const TOLERATED = new Set(['NOT_YET_VALID']);

/** The repositories intake reads and writes. */
export interface IntakeStore {
  credentials: CredentialStore;
  batches: BatchStore;
  /** Status list indexes already bound to a credential (docs/status-list.md). */
  statusLists: StatusIndexLookup;
}

export interface IntakeOptions {
  store: IntakeStore;
  verifier: CredentialVerifier;
  directory: RegistryDirectory;
  clock: Clock;
  writer: CredentialWriter;
  /**
   * The badge-class catalogue's mirror: a credential citing a class (`urn:badge-notary:class:<id>`) is checked
   * against it (class-conformance.ts). Without it such a credential is refused; one citing no class is taken as ever.
   */
  badgeClasses?: BadgeClassCatalogueMirror;
}

/**
 * Intake: every credential of a request is checked (format, schema, signature, dates; issuer = the
 * authenticated member; signing key registered to it on-chain and valid now; a credential issued against a
 * badge class conforms to it), then all are stored in one
 * transaction, or none: one bad credential refuses the whole request, listing every bad one. A credential
 * the member already submitted is answered as it stands (created: false), even if its key was revoked since.
 */
export class Intake {
  constructor(private readonly options: IntakeOptions) {}

  async submit(principal: Actor, request: IntakeRequest): Promise<AcceptedCredential[]> {
    const { store, verifier, directory, clock } = this.options;
    const member = await directory.member(principal.memberId);
    if (!member || member.status !== Status.Active || member.role !== Role.IssuingPoint) {
      throw new UseCaseError('forbidden', 'member-cannot-issue', `member ${principal.memberId} is not an active issuing point of the network: it cannot notarise credentials`);
    }
    const now = clock();
    const rejected: RejectedCredential[] = [];
    const foreign: RejectedCredential[] = [];
    const reject = (list: RejectedCredential[], index: number, code: string, message: string, problems?: unknown) =>
      list.push({ index, field: request.fieldOf(index), code, message, ...(problems !== undefined ? { problems } : {}) });

    // Items that are not credentials at all never reach the verifiers; credentials this member already
    // submitted (the same digest: the same signed bytes) are answered as they stand, not checked again.
    const hasher = await loadDigester();
    const inputs: CredentialInput[] = [];
    const positions: number[] = [];
    const known: AcceptedCredential[] = [];
    for (const [index, item] of request.items.entries()) {
      if (nestsTooDeep(item)) {
        reject(rejected, index, 'too-deeply-nested', `the credential nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
        continue;
      }
      if (typeof item === 'string' || (typeof item === 'object' && item !== null && !Array.isArray(item))) {
        const digest = digestOfInput(hasher, item as CredentialInput);
        const stored = digest === undefined ? undefined : await store.credentials.get(digest);
        if (stored && stored.memberId === principal.memberId) {
          known.push({ index, digest: stored.digest, format: stored.format as CredentialFormat, created: false, state: await stateOf(store, stored.digest) });
          continue;
        }
        inputs.push(item as CredentialInput);
        positions.push(index);
      } else {
        reject(rejected, index, 'invalid-item', `a credential is a compact JWS string or a JSON object, not ${describe(item)}`);
      }
    }

    const results = inputs.length > 0 ? await verifier.verifyMany({ credentials: inputs, now: new Date(now) }) : [];
    const keys = new Map<string, Promise<SigningKey | undefined>>();
    const accepted: { index: number; result: VerifyCredentialResult; input: CredentialInput }[] = [];
    for (let i = 0; i < results.length; i++) {
      const index = positions[i];
      const result = results[i];
      const failure = result.checks.find((check) => check.status === 'failed' && !TOLERATED.has(check.error?.code ?? ''));
      if (failure || !result.digest || !result.issuerDid || !result.keyHash || !result.format) {
        const error = failure?.error as CredentialError | undefined;
        reject(rejected, index, error ? kebab(error.code) : 'invalid-credential', failure?.message ?? 'the credential could not be read', schemaProblems(error));
        continue;
      }
      if (result.issuerDid !== principal.memberDid) {
        reject(foreign, index, 'foreign-issuer', `the credential's issuer is ${result.issuerDid}, not the authenticated member ${principal.memberDid}`);
        continue;
      }
      if (!keys.has(result.keyHash)) keys.set(result.keyHash, directory.key(result.keyHash));
      const problem = keyProblem(await keys.get(result.keyHash), principal.memberId, Math.floor(now / 1000));
      if (problem) {
        reject(rejected, index, problem.code, `signing key ${result.verificationMethod} (key hash ${result.keyHash}): ${problem.message}`);
        continue;
      }
      const nonconformity = await checkClassConformance({
        input: inputs[i],
        signers: result.signers,
        catalogue: this.options.badgeClasses,
        directory,
        now: Math.floor(now / 1000),
      });
      if (nonconformity) {
        rejected.push({ index, field: `${request.fieldOf(index)}.${nonconformity.field}`, code: nonconformity.code, message: nonconformity.message });
        continue;
      }
      accepted.push({ index, result, input: inputs[i] });
    }

    // Revocation entries for this project's lists: the member's own lists, and no index taken by another credential.
    const statusChecks = await checkStatusEntries(
      accepted.map(({ result, input }) => ({ input, digest: result.digest! })),
      principal.memberId,
      store.statusLists,
    );
    const statusEntries = new Map<number, { list: string; index: number }[]>();
    statusChecks.forEach((check, i) => {
      const { index } = accepted[i];
      if (Array.isArray(check)) statusEntries.set(index, check.map(({ list, index: bit }) => ({ list, index: bit })));
      else rejected.push({ index, field: `${request.fieldOf(index)}.${check.field}`, code: check.code, message: check.message });
    });

    if (foreign.length > 0) {
      const all = [...foreign, ...rejected].sort((a, b) => a.index - b.index);
      throw new UseCaseError('forbidden', 'foreign-issuer', `${foreign.length} of ${request.items.length} credential(s) name another issuer than ${principal.memberDid}; nothing was stored`, { items: all });
    }
    if (rejected.length > 0) {
      rejected.sort((a, b) => a.index - b.index);
      const first = rejected[0];
      throw new UseCaseError(
        'unprocessable',
        'invalid-credentials',
        request.bulk
          ? `${rejected.length} of ${request.items.length} credentials are invalid; nothing was stored`
          : `the credential is invalid: ${first.message}`,
        { field: request.bulk ? undefined : first.field, items: rejected },
      );
    }

    const records: NewCredential[] = accepted.map(({ index, result, input }) => ({
      digest: result.digest!,
      memberId: principal.memberId,
      issuerDid: result.issuerDid!,
      keyHash: result.keyHash!,
      format: result.format!,
      artifact: digestInput(readSignedArtifact(input)),
      submittedBy: principal.subject,
      receivedAt: now,
      statusEntries: statusEntries.get(index) ?? [],
    }));
    const created = records.length > 0 ? await this.write(records, request, accepted) : [];
    const fresh: AcceptedCredential[] = [];
    for (const [i, { index, result }] of accepted.entries()) {
      const state = created[i] ? 'queued' : await stateOf(store, result.digest!);
      fresh.push({ index, digest: result.digest!, format: result.format!, created: created[i], state });
    }
    return [...known, ...fresh].sort((a, b) => a.index - b.index);
  }

  /** Writes the records; two requests that raced for one status list index: the loser's is refused as at the check. */
  private async write(records: NewCredential[], request: IntakeRequest, accepted: { index: number; result: VerifyCredentialResult }[]): Promise<boolean[]> {
    try {
      return await this.options.writer.write(records);
    } catch (error) {
      if (!(error instanceof NotaryError) || error.code !== 'status-index-taken') throw error;
      const digest = (error.details as { digest?: string }).digest;
      const index = accepted.find(({ result }) => result.digest?.toLowerCase() === digest)?.index ?? 0;
      const field = `${request.fieldOf(index)}.credentialStatus.statusListIndex`;
      const item: RejectedCredential = { index, field, code: error.code, message: `${error.shortMessage}: draw another index` };
      throw new UseCaseError('unprocessable', 'invalid-credentials', request.bulk ? `1 of ${request.items.length} credentials is invalid; nothing was stored` : `the credential is invalid: ${item.message}`, {
        field: request.bulk ? undefined : field,
        items: [item],
      });
    }
  }
}

/** Where a credential already stored stands. */
export async function stateOf(store: IntakeStore, digest: string): Promise<CredentialState> {
  const stored = await store.credentials.get(digest);
  if (!stored || stored.batchId === null) return 'queued';
  return (await store.batches.get(stored.batchId))?.state ?? 'sealed';
}

function schemaProblems(error: CredentialError | undefined): unknown {
  if (error?.code !== 'SCHEMA_INVALID') return undefined;
  return (error.params as { issues?: unknown }).issues;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Stores intake's credentials with group commit: the writes asked for in one turn of the event loop go into
 * one SQLite transaction (one fsync), and each caller's promise resolves once that transaction is durable.
 * A request's credentials are never split across transactions. If the shared transaction fails, each
 * request's batch is tried alone, so that one request's failure is its own.
 */
export class CredentialWriter {
  private queue: { records: readonly NewCredential[]; resolve(created: boolean[]): void; reject(error: unknown): void }[] = [];
  private scheduled = false;

  constructor(private readonly store: { credentials: Pick<CredentialStore, 'insertMany'> }) {}

  write(records: readonly NewCredential[]): Promise<boolean[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const pending = this.queue;
    this.queue = [];
    try {
      const created = await this.store.credentials.insertMany(pending.flatMap((p) => p.records));
      let offset = 0;
      for (const p of pending) {
        p.resolve(created.slice(offset, offset + p.records.length));
        offset += p.records.length;
      }
    } catch (error) {
      if (pending.length === 1) {
        pending[0].reject(error);
        return;
      }
      for (const p of pending) {
        try {
          p.resolve(await this.store.credentials.insertMany(p.records));
        } catch (own) {
          p.reject(own);
        }
      }
    }
  }
}
