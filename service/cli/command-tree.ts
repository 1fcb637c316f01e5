// The commands, their arguments and options: all that `--help` and parsing need, and nothing more. Each action
// loads the module that does the work only when it runs, so that `badge-notary --help` (or a command that needs no
// chain) does not load ethers, JSON-LD, SQLite and the rest (test/cli/cli-startup.test.ts).
import type { Command } from 'commander';
import type { CommandEnvironment } from './command-environment';
import type { IssueOptions } from './badge-commands';
import type { BakeOptions } from './bake-command';
import type { CoSignOptions } from './co-sign-command';
import type { KeyGenerateOptions } from './key-generate-command';
import type { KeyAddOptions, KeyRevokeOptions, MemberOption } from './key-commands';
import type { ApplyOptions, MemberVote } from './member-commands';
import type { ApiKeyCreateOptions, NotariseOptions } from './service-commands';
import type { VerifyCommandOptions } from './verify-command';
import type { PublishOptions, SearchOptions } from './class-commands';
import type { CopyToPostgresOptions } from './store-copy-command';
import { DEFAULT_SERVICE_URL } from './service-client';

const memberCommands = () => import('./member-commands');
const didDocumentCommand = () => import('./did-document-command');
const keyCommands = () => import('./key-commands');
const keyGenerateCommand = () => import('./key-generate-command');
const endorseCommands = () => import('./endorse-commands');
const verifyCommand = () => import('./verify-command');
const serviceCommands = () => import('./service-commands');
const badgeCommands = () => import('./badge-commands');
const bakeCommand = () => import('./bake-command');
const coSignCommand = () => import('./co-sign-command');
const classCommands = () => import('./class-commands');
const storeCopyCommand = () => import('./store-copy-command');

const MEMBER_OPTION = ['--member <member>', 'the member (number or DID); default: the one your account controls'] as const;
const SERVICE_URL_OPTION = ['--url <url>', `the notary service (env BADGE_NOTARY_URL; default ${DEFAULT_SERVICE_URL})`] as const;

const VOTES: { command: MemberVote; description: string }[] = [
  { command: 'approve', description: 'approve a pending applicant' },
  { command: 'suspend', description: 'vote to suspend an active member' },
  { command: 'reinstate', description: 'vote to reinstate a suspended member' },
  { command: 'remove', description: 'vote to remove a member; final, and its DID stays bound to it' },
  { command: 'reject', description: 'vote to reject a pending application; frees its DID' },
];

/** Adds every command to `program`; `setExitCode` is for the commands whose outcome is not all-or-nothing. */
export function defineCommands(program: Command, environment: CommandEnvironment, setExitCode: (code: number) => void): void {
  defineMemberCommands(program, environment);
  defineKeyCommands(program, environment);
  defineEndorseCommands(program, environment);
  defineClassCommands(program, environment);

  program
    .command('verify <files...>')
    .description('verify badges: credential files (JSON or JWT), receipt files, or baked PNG/SVG badges')
    .option('--receipt <file>', 'the receipt of a single credential file, when it travels apart')
    .option('--confirmations <n>', 'blocks the anchor must have', '1')
    .option('--concurrency <n>', 'files checked at once (their registry checks share eth_calls)', '128')
    .option('--on-chain-proofs', 'have the registry check every Merkle proof of files checked at once too (checkCredentials; slower)')
    .option(
      '--status-list-issuer <did>',
      'check a credential’s W3C status list too, trusting lists signed by this DID (the notary’s; repeat for more); the list is fetched from its URL',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--status-list <file>', 'the status list as a file, instead of fetching it (with --status-list-issuer)')
    .action(async (files: string[], options: VerifyCommandOptions) => (await verifyCommand()).verifyFiles(environment, files, options, setExitCode));

  defineServiceCommands(program, environment, setExitCode);
  defineStoreCommands(program, environment);

  const badge = program.command('badge').description('issue signed Open Badges 3.0 credentials');
  badge
    .command('issue')
    .description('sign one OB 3.0 AchievementCredential per CSV row, from a badge template; a bad row stops the run before anything is written')
    .requiredOption('--template <file>', 'the badge: JSON of the badge builder’s input without the earner (README, "Issuing badges")')
    .requiredOption('--csv <file>', 'the earners: columns email or did, score, and optionally level, issued_on, exam_date, valid_until, id')
    .requiredOption('--issuer-key <file>', 'your signing key (from `key generate`)')
    .option('--format <format>', 'vc-jwt or data-integrity (eddsa-rdfc-2022, Ed25519 keys only)', 'vc-jwt')
    .option('--out-dir <folder>', 'write one file per row: 0001.jwt (or .json), 0002..., in CSV order')
    .option('--out <file>', 'write one JSON array of every credential instead')
    .option(
      '--status-list <url>',
      'give each credential a W3C status list revocation entry at a random index of this list: <service>/v1/status-lists/<member id>/<list> (docs/status-list.md)',
    )
    .option('--class <file|id>', 'a network badge class (docs/catalogue.md), as its document file or its published id: each badge is issued against it, its level checked against the class’s bands')
    .option('--url <url>', 'the notary service that holds the class document, for --class <id> (else the URI the chain records)')
    .option('--force', 'replace an existing output')
    .action(async (options: IssueOptions) => (await badgeCommands()).issueBadges(environment, options));
  badge
    .command('co-sign <files...>')
    .description('co-issue: add your member’s Data Integrity proof to credentials another member signed (--format data-integrity), after checking them; all files or none')
    .requiredOption('--issuer-key <file>', 'your Ed25519 signing key (from `key generate`), registered to your member')
    .requiredOption('--member-did <did>', 'your member’s DID: the co-signature names the key as <did>#<key>')
    .requiredOption('--out-dir <folder>', 'write each co-signed credential there, under its file name')
    .option('--class <file|id>', 'the badge class the credentials cite (document file or published id): each level is checked against its score bands first')
    .option('--url <url>', 'the notary service that holds the class document, for --class <id> (else the URI the chain records)')
    .option('--force', 'replace an existing output folder')
    .action(async (files: string[], options: CoSignOptions) => (await coSignCommand()).coSignBadges(environment, files, options));

  program
    .command('bake <credential>')
    .description('bake a credential (JWT or JSON) and its receipt into a PNG or SVG badge image')
    .option('--receipt <file>', 'the credential’s receipt (`notarise --wait` writes FILE.receipt.json); a JSON credential may carry it already')
    .option('--image <file>', 'the PNG or SVG to bake into; default a plain badge drawn with the credential’s level')
    .requiredOption('--out <file>', 'the baked image, .png or .svg (refused if it exists, unless --force)')
    .option('--force', 'replace an existing image')
    .action(async (credentialFile: string, options: BakeOptions) => (await bakeCommand()).bake(environment, credentialFile, options));
}

function defineMemberCommands(program: Command, environment: CommandEnvironment): void {
  const member = program.command('member').description('apply, vote on and list the members of the network');
  member
    .command('apply')
    .description('apply for membership; the signing account becomes the new member’s controller')
    .requiredOption('--did <did>', 'the organisation’s DID, e.g. did:web:school.example')
    .requiredOption('--role <role>', 'issuing-point, validation-point or information-point')
    .option('--metadata-uri <uri>', 'where the organisation’s public metadata (name, e-mail, site) is published', '')
    .option('--metadata-file <file>', 'the metadata document, whose keccak256 is recorded to pin it')
    .action(async (options: ApplyOptions) => (await memberCommands()).applyForMembership(environment, options));
  for (const vote of VOTES) {
    member
      .command(`${vote.command} <member>`)
      .description(vote.description)
      .action(async (reference: string) => (await memberCommands()).voteOnMember(environment, vote.command, reference));
  }
  member
    .command('list')
    .description('list every member with its role and status')
    .action(async () => (await memberCommands()).listMembers(environment));
  member
    .command('withdraw')
    .description('withdraw your own pending application; frees its DID')
    .option(...MEMBER_OPTION)
    .action(async (options: { member?: string }) => (await memberCommands()).withdrawApplication(environment, options));
  member
    .command('show <member>')
    .description('show one member, its status history and notaries, and how to check that it controls its DID')
    .option('--did-document <file>', 'check a downloaded DID document: it must name the member’s controller')
    .action(async (reference: string, options: { didDocument?: string }) => (await memberCommands()).showMember(environment, reference, options));
  member
    .command('did-document <member>')
    .description('the member’s did:web DID document, from the keys it published on-chain, to host at /.well-known/did.json')
    .option('--key <key...>', 'a public key registered to the member by its hash only (did:key, Multikey or JWK); repeat for each key')
    .option('--out <file>', 'write the document to this file; default: print it')
    .action(async (reference: string, options: { key?: string[]; out?: string }) =>
      (await didDocumentCommand()).writeDidDocument(environment, reference, options),
    );

  program
    .command('quorum [newQuorum]')
    .description('show the quorum, or vote to change it')
    .action(async (newQuorum?: string) => (await memberCommands()).quorum(environment, newQuorum));
}

function defineKeyCommands(program: Command, environment: CommandEnvironment): void {
  const key = program.command('key').description('register, revoke and check the signing keys of a member');
  key
    .command('add <key>')
    .description('register a signing key for your member: a public key is published on-chain (registerPublicKey), a key hash registered alone')
    .option(...MEMBER_OPTION)
    .option('--valid-from <time>', 'ISO 8601 or unix seconds, not in the past; default: now')
    .option('--valid-until <time>', 'ISO 8601 or unix seconds; default: no planned end')
    .action(async (keyText: string, options: KeyAddOptions) => (await keyCommands()).addKey(environment, keyText, options));
  key
    .command('revoke <key>')
    .description('revoke a key, stating when its compromise began; signatures anchored before stay valid')
    .option(...MEMBER_OPTION)
    .option('--compromised-at <time>', 'ISO 8601 or unix seconds, not in the future; default: now')
    .action(async (keyText: string, options: KeyRevokeOptions) => (await keyCommands()).revokeKey(environment, keyText, options));
  key
    .command('show <key>')
    .description('show a key: its member, validity window and revocation; with --at, whether it was valid then')
    .option('--at <time>', 'ISO 8601 or unix seconds')
    .action(async (keyText: string, options: { at?: string }) => (await keyCommands()).showKey(environment, keyText, options));
  key
    .command('generate')
    .description('make an issuer signing key (did:key) in a JSON file of mode 600, and print the `key add` line that registers it')
    .requiredOption('--out <file>', 'where to write the key (refused if it exists, unless --force)')
    .option('--type <type>', 'ed25519 (signs VC-JWT and Data Integrity) or p256 (VC-JWT only)', 'ed25519')
    .option('--member-did <did>', 'your member’s DID: also print the key id under it (DID#publicKeyMultibase)')
    .option('--force', 'replace an existing key file')
    .action(async (options: KeyGenerateOptions) => (await keyGenerateCommand()).generateKey(environment, options));

  const notary = program.command('notary').description('authorise the accounts that anchor and revoke for your member');
  for (const [name, description] of [
    ['add', 'authorise an account to anchor roots and revoke credentials for your member'],
    ['remove', 'withdraw a notary’s authorisation'],
  ] as const) {
    notary
      .command(`${name} <address>`)
      .description(description)
      .option(...MEMBER_OPTION)
      .action(async (address: string, options: MemberOption) => (await keyCommands()).changeNotary(environment, name, address, options));
  }

  const revoker = program.command('revoker').description('let an account revoke your member’s credentials (e.g. the notary service you use)');
  for (const [name, description] of [
    ['add', 'let an account revoke your member’s credentials'],
    ['remove', 'withdraw a revoker’s authorisation'],
  ] as const) {
    revoker
      .command(`${name} <address>`)
      .description(description)
      .option(...MEMBER_OPTION)
      .action(async (address: string, options: MemberOption) => (await keyCommands()).changeRevoker(environment, name, address, options));
  }
}

function defineEndorseCommands(program: Command, environment: CommandEnvironment): void {
  const endorse = program.command('endorse').description('endorse another member or a badge class, or withdraw it');
  endorse
    .command('add <kind> <subject>')
    .description('kind: member (subject: number or DID) or badge-class (subject: 0x hash of the badge class id)')
    .requiredOption('--claim <uri>', 'where the endorsement claim is published')
    .option('--member <member>', 'the endorsing member; default: the one your account controls')
    .action(async (kind: string, subject: string, options: { claim: string; member?: string }) =>
      (await endorseCommands()).endorse(environment, kind, subject, options),
    );
  endorse
    .command('withdraw <kind> <subject>')
    .description('withdraw a standing endorsement')
    .option('--member <member>', 'the endorsing member; default: the one your account controls')
    .action(async (kind: string, subject: string, options: { member?: string }) =>
      (await endorseCommands()).withdrawEndorsement(environment, kind, subject, options),
    );
}

function defineClassCommands(program: Command, environment: CommandEnvironment): void {
  const badgeClass = program.command('class').description('publish, adopt, show and search the network’s badge classes (docs/catalogue.md)');
  badgeClass
    .command('publish <file>')
    .description('validate a badge-class document, upload it to the notary service (when one is configured) and publish it, or supersede the version it names')
    .option('--uri <uri>', 'where the document can be fetched; default the notary service’s copy (GET /v1/badge-classes/{id}/document)')
    .option(...SERVICE_URL_OPTION)
    .option('--api-key-file <file>', 'file holding an API key of your member (env BADGE_NOTARY_API_KEY_FILE, or BADGE_NOTARY_API_KEY)')
    .action(async (file: string, options: PublishOptions) => (await classCommands()).publishClass(environment, file, options));
  badgeClass
    .command('adopt <id>')
    .description('declare on-chain that your member issues against the class (its current version)')
    .action(async (id: string) => (await classCommands()).changeAdoption(environment, 'adopt', id));
  badgeClass
    .command('withdraw <id>')
    .description('withdraw your member’s adoption of the class')
    .action(async (id: string) => (await classCommands()).changeAdoption(environment, 'withdraw', id));
  badgeClass
    .command('show <id>')
    .description('the class as the catalogue records it (publisher, versions, adopters) and its document, fetched and checked against the id')
    .option('--document <file>', 'the class document as a file, instead of fetching it')
    .option(...SERVICE_URL_OPTION)
    .action(async (id: string, options: ServiceOptionsWithDocument) => (await classCommands()).showClass(environment, id, options));
  badgeClass
    .command('search [words...]')
    .description('search the notary service’s catalogue in Italian and English, by framework code or level')
    .option('--framework <framework>', 'LifeComp, ESCO or EQF')
    .option('--level <level>', 'a level name, e.g. Gold')
    .option(...SERVICE_URL_OPTION)
    .action(async (words: string[], options: SearchOptions) => (await classCommands()).searchClasses(environment, words, options));
}

function defineStoreCommands(program: Command, environment: CommandEnvironment): void {
  const store = program.command('store').description('operate the notary service\'s database');
  store
    .command('copy-to-postgres')
    .description(
      'copy a stopped notary\'s records from its SQLite file into an empty PostgreSQL database, in one transaction checked before it commits; the chain mirror is not copied (docs/operations.md)',
    )
    .requiredOption('--from <file>', 'the notary\'s SQLite file (BADGE_NOTARY_DATABASE, default data/notary.sqlite); no service may have it open')
    .option('--to <url>', 'the PostgreSQL database, postgres://user@host:5432/database (env BADGE_NOTARY_DATABASE_URL; a password is better in PGPASSWORD)')
    .option('--status-list-key <file>', 'the status-list key to share with the replicas; default status-list-key.json beside --from, when there is one')
    .option('--sample <n>', 'credentials whose proofs are checked on both sides before the copy commits', '100')
    .action(async (options: CopyToPostgresOptions) => (await storeCopyCommand()).copyToPostgres(environment, options));
}

type ServiceOptionsWithDocument = { url?: string; document?: string };

function defineServiceCommands(program: Command, environment: CommandEnvironment, setExitCode: (code: number) => void): void {
  program
    .command('notarise <files...>')
    .description('send signed credentials (JWT or JSON files) to a notary service; with --wait, save each receipt beside its file')
    .option(...SERVICE_URL_OPTION)
    .option('--api-key-file <file>', 'file holding an API key of your member (env BADGE_NOTARY_API_KEY_FILE, or BADGE_NOTARY_API_KEY)')
    .option('--wait', 'wait until every credential is anchored, and write FILE.receipt.json')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .action(async (files: string[], options: NotariseOptions) => (await serviceCommands()).notarise(environment, files, options, setExitCode));

  const apiKey = program.command('api-key').description('manage your member’s API keys on a notary service');
  apiKey
    .command('create')
    .description('create an API key, authenticating with one of your member’s signing keys registered on-chain')
    .requiredOption('--issuer-key <file>', 'a signing key of your member (JSON, as generated by generateIssuerKey/exportIssuerKey)')
    .requiredOption('--member-did <did>', 'your member’s DID')
    .option('--role <role>', 'editor (submits and revokes) or admin (also manages keys)', 'editor')
    .option('--label <label>', 'what the key is for', 'badge-notary CLI')
    .option(...SERVICE_URL_OPTION)
    .option('--out <file>', 'write the API key to this file (mode 600) instead of printing it')
    .action(async (options: ApiKeyCreateOptions) => (await serviceCommands()).createApiKey(environment, options));
}
