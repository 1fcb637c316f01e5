/* global document, window, FormData */
/**
 * The governance console: connects the member's EIP-1193 wallet, shows the network (members, pending applications
 * and open votes with the quorum's progress, the member the account controls), and for each verb builds the
 * action (actions.mjs), says what it will do and its gas, sends it through the wallet and says what it did, or the
 * registry's refusal in the CLI's sentence. Words: the verifier page's i18n with the console's own (words.mjs).
 */
import { addMessages, initialLanguage, language, setLanguage, t, formatTime, formatNumber, formatAmount } from '../web/i18n.mjs';
import { el } from '../web/render.mjs';
import { formatEther, toBeHex, zeroPadValue } from './ethers.mjs';
import * as actions from './actions.mjs';
import { FORMS, InputProblem } from './forms.mjs';
import { RegistryWallet, Refusal, WalletProblem, loadNetwork } from './wallet.mjs';
import { CONSOLE_MESSAGES } from './words.mjs';

const $ = (id) => document.getElementById(id);

const state = {
  network: undefined,
  wallet: undefined,
  memberId: 0,
  /** Counts refreshes: a refresh paints only while it is the latest. */
  generation: 0,
  /** The prepared action awaiting the user's go: { action, prepared }. */
  pending: undefined,
  /** What the panels show, kept to say it again in the other language: () => text. */
  shown: { problem: undefined, membership: undefined, outcome: undefined, review: undefined },
};

addMessages(CONSOLE_MESSAGES);
setLanguage(initialLanguage());
for (const button of document.querySelectorAll('[data-language]')) {
  button.addEventListener('click', () => switchLanguage(button.dataset.language));
}
markLanguage();
start();

async function start() {
  try {
    state.network = await loadNetwork();
  } catch (error) {
    showProblem(() => t('problem.service', { message: error.message }));
    return;
  }
  fillRoles();
  showRegistryLine();
  if (!window.ethereum) {
    showProblem(() => t('problem.noWallet'));
    $('connect').disabled = true;
    document.body.dataset.ready = 'true';
    return;
  }
  state.wallet = new RegistryWallet(window.ethereum, state.network);
  window.ethereum.on?.('accountsChanged', () => state.wallet.account && connect());
  window.ethereum.on?.('chainChanged', () => state.wallet.account && refresh());
  $('connect').addEventListener('click', connect);
  $('review-send').addEventListener('click', sendPending);
  $('review-cancel').addEventListener('click', cancelPending);
  $('withdraw').addEventListener('click', () => transact(() => actions.withdrawAction({ memberId: state.memberId }), { member: true }));
  wireForms();
  document.body.dataset.ready = 'true';
}

function switchLanguage(lang) {
  setLanguage(lang, { remember: true });
  markLanguage();
  fillRoles();
  showRegistryLine();
  for (const [name, text] of Object.entries(state.shown)) if (text) paint(name, text);
  if (state.wallet?.account) refresh();
}

function markLanguage() {
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.dataset.language === language()));
}

function fillRoles() {
  const select = $('apply-role');
  const chosen = select.value;
  select.replaceChildren(...state.network.roles.slice(1).map((role) => el('option', { value: role }, t(`role.${role}`))));
  if (chosen) select.value = chosen;
}

function showRegistryLine() {
  $('registry-line').textContent = t('network.registry', { registry: state.network.registry, chain: state.network.chainId });
}

/** The panels that keep their text across a language switch. */
const PANELS = {
  problem: (text) => {
    $('problem').textContent = text;
    $('problem').hidden = !text;
  },
  membership: (text) => {
    $('membership-line').textContent = text;
    $('membership-line').hidden = !text;
  },
  outcome: (text) => {
    $('outcome-text').textContent = text;
    $('outcome').hidden = !text;
  },
  review: (text) => {
    const [what, gas] = text.split('\n');
    $('review-what').textContent = what;
    $('review-gas').textContent = gas ?? '';
    $('review').hidden = !text;
  },
};

function paint(name, text) {
  PANELS[name](text ? text() : '');
}

function show(name, text) {
  state.shown[name] = text;
  paint(name, text);
}

const showProblem = (text) => show('problem', text);

async function connect() {
  try {
    const account = await state.wallet.connect();
    if (!account) throw new WalletProblem('problem.noAccount');
    await refresh();
    $('forms').hidden = false;
  } catch (error) {
    showProblem(() => explain(error));
  }
}

/**
 * Reads the network again: the account, its chain, the member it controls, the members and the open votes. A later
 * refresh (another account, chain or language) supersedes one still reading: only the latest paints.
 */
async function refresh() {
  const { wallet } = state;
  const generation = ++state.generation;
  const current = () => generation === state.generation;
  $('account-line').hidden = false;
  $('account-line').textContent = t('wallet.account', { account: wallet.account });
  try {
    await wallet.checkChain();
  } catch (error) {
    if (!current()) return;
    state.memberId = 0;
    showProblem(() => explain(error));
    show('membership', undefined);
    $('state').hidden = true;
    $('withdraw').hidden = true;
    document.body.dataset.account = wallet.account;
    return;
  }
  const count = Number(await wallet.read('memberCount'));
  const members = [];
  for (let id = 1; id <= count; id++) members.push({ id, ...memberView(await wallet.read('getMember', [id])) });
  const memberId = await wallet.controlledMember();
  const own = members.find((member) => member.id === memberId);
  const [quorum, active] = [Number(await wallet.read('quorum')), Number(await wallet.read('activeMemberCount'))];
  const approvals = await wallet.events('ProposalApproved');
  const ownDetails = own ? await readOwn(own) : undefined;
  if (!current()) return;

  state.memberId = memberId;
  showProblem(undefined);
  const account = wallet.account;
  show('membership', own ? () => t('wallet.member', { id: own.id, did: own.did, status: statusWord(own.status) }) : () => t('problem.notController', { account }));
  $('withdraw').hidden = !own || own.status !== 'pending';
  $('quorum-line').textContent = t('state.quorum', { quorum, active });
  renderMembers(members);
  renderProposals(members, approvals, quorum);
  renderOwn(own, ownDetails);
  $('state').hidden = false;
  document.body.dataset.account = account;
}

function memberView(member) {
  return {
    did: member.did,
    controller: member.controller,
    role: state.network.roles[Number(member.role)],
    status: state.network.statuses[Number(member.status)],
    statusSince: Number(member.statusSince),
  };
}

const statusWord = (status) => t(`memberStatus.${status}`);

function renderMembers(members) {
  $('members').tBodies[0].replaceChildren(
    ...members.map((member) =>
      el(
        'tr',
        { 'data-member': member.id, 'data-status': member.status },
        el('td', {}, String(member.id)),
        el('td', { class: 'code' }, member.did),
        el('td', {}, t(`role.${member.role}`)),
        el('td', {}, t('members.statusSince', { status: statusWord(member.status), since: formatTime(member.statusSince * 1000) })),
        el('td', { class: 'code' }, member.controller),
      ),
    ),
  );
}

/**
 * Pending applications, each with its approvals of the quorum, and the other proposals still short of their quorum
 * (the last ProposalApproved of each proposal says how many are in).
 */
function renderProposals(members, approvals, quorum) {
  const latest = new Map();
  for (const event of approvals) latest.set(event.args.proposalId, event);
  const items = [];
  for (const member of members.filter((m) => m.status === 'pending')) {
    const votes = [...latest.values()].filter((e) => state.network.actions[Number(e.args.action)] === 'admit' && Number(e.args.subject) === member.id);
    const last = votes[votes.length - 1];
    items.push(
      el('li', { 'data-proposal': `admit-${member.id}` }, t('proposals.application', {
        id: member.id,
        did: member.did,
        role: t(`role.${member.role}`),
        approvals: last ? Number(last.args.approvals) : 0,
        required: last ? Number(last.args.required) : quorum,
      })),
    );
  }
  for (const event of latest.values()) {
    const action = state.network.actions[Number(event.args.action)];
    const [approvalsIn, required] = [Number(event.args.approvals), Number(event.args.required)];
    if (action === 'admit' || approvalsIn >= required) continue;
    items.push(
      el('li', { 'data-proposal': `${action}-${event.args.subject}` }, t(`proposals.${action}`, {
        id: Number(event.args.subject),
        value: Number(event.args.value),
        approvals: approvalsIn,
        required,
      })),
    );
  }
  if (items.length === 0) items.push(el('li', {}, t('proposals.none')));
  $('proposals').replaceChildren(...items);
}

/** The keys (with their registry state) and notaries of the account's member. */
async function readOwn(own) {
  const { wallet } = state;
  const registered = await wallet.events('SigningKeyRegistered', [zeroPadValue(toBeHex(own.id), 32)]);
  const keys = [];
  for (const event of registered) keys.push({ keyHash: event.args.keyHash, stored: await wallet.read('getKey', [event.args.keyHash]) });
  return { keys, notaries: [...(await wallet.read('notariesOf', [own.id]))] };
}

function renderOwn(own, details) {
  $('own').hidden = !own;
  if (!own) return;
  const keys = details.keys.map(({ keyHash, stored }) =>
    t(stored.revoked ? 'own.key.revoked' : 'own.key', {
      keyHash,
      from: formatTime(Number(stored.validFrom) * 1000),
      until: Number(stored.validUntil) ? formatTime(Number(stored.validUntil) * 1000) : t('own.key.noEnd'),
      at: formatTime(Number(stored.compromisedAt) * 1000),
    }),
  );
  const rows = [
    ['own.member', t('own.member.value', { id: own.id, did: own.did })],
    ['own.status', statusWord(own.status)],
    ['own.keys', keys.length ? keys : [t('own.none')]],
    ['own.notaries', details.notaries.length ? details.notaries : [t('own.none')]],
  ];
  $('own-details').replaceChildren(
    ...rows.flatMap(([term, values]) => [el('dt', {}, t(term)), ...[values].flat().map((value) => el('dd', { class: 'code' }, value))]),
  );
}

/** The forms: each submit reads its fields into an action (forms.mjs) and goes through transact. */
function wireForms() {
  for (const [id, form] of Object.entries(FORMS)) {
    $(id).addEventListener('submit', (event) => {
      event.preventDefault();
      transact(() => form.read(new FormData($(id)), { network: state.network, memberId: state.memberId }), form);
    });
  }
}

/**
 * One verb: its input read, then the wallet's chain and the account's control checked, then the gas estimated
 * (where the registry refuses) and what it will do shown for the user's go. Nothing is sent before that go.
 */
async function transact(build, needs) {
  cancelPending();
  show('outcome', undefined);
  busy(true);
  try {
    const action = await build();
    await state.wallet.checkChain();
    if (needs.member && !state.memberId) throw new WalletProblem('problem.notController', { account: state.wallet.account });
    const prepared = await state.wallet.prepare(action);
    state.pending = { action, prepared };
    const fee = formatAmount(Number(formatEther(prepared.gas * prepared.gasPrice)));
    show('review', () => `${sentence(action.says)}\n${t('review.gas', { gas: formatNumber(Number(prepared.gas)), fee })}`);
    $('review-title').focus();
  } catch (error) {
    if (error instanceof WalletProblem && error.code === 'problem.chain') showProblem(() => explain(error));
    showOutcome('problem', () => explain(error));
  } finally {
    busy(false);
  }
}

async function sendPending() {
  const pending = state.pending;
  if (!pending) return;
  busy(true);
  try {
    const sent = await state.wallet.send(pending.action, pending.prepared);
    state.pending = undefined;
    show('review', undefined);
    const said = pending.action.outcome(sent.events);
    showOutcome('done', () => `${sentence(said)} ${t('outcome.transaction', { hash: sent.hash })}`);
    await refresh();
  } catch (error) {
    state.pending = undefined;
    show('review', undefined);
    showOutcome('problem', () => explain(error));
  } finally {
    busy(false);
  }
}

function cancelPending() {
  state.pending = undefined;
  show('review', undefined);
}

function showOutcome(kind, text) {
  $('outcome').dataset.kind = kind;
  show('outcome', text);
  $('live').textContent = text();
  $('outcome-title').focus();
}

function busy(on) {
  document.body.dataset.busy = String(on);
}

/** An action's words, its times written out. */
function sentence([key, params]) {
  const timed = { ...params };
  for (const name of ['from', 'until', 'at']) {
    if (typeof timed[name] === 'number') timed[name] = timed[name] ? formatTime(timed[name] * 1000) : t(name === 'until' ? 'own.key.noEnd' : 'time.now');
  }
  if (typeof timed.status === 'string') timed.status = statusWord(timed.status);
  if (typeof timed.role === 'string') timed.role = t(`role.${timed.role}`);
  return t(key, timed);
}

/** Any error in words: a refusal in the CLI's sentence, a problem or bad input in the page's words. */
function explain(error) {
  if (error instanceof Refusal) return t('outcome.refused', { sentence: error.message });
  if (error instanceof WalletProblem) return t(error.code, error.params);
  if (error instanceof InputProblem) return t('input.problem', { field: t(error.field), reason: t(error.reason) });
  if (error && typeof error.code === 'number' && error.code === 4001) return t('problem.rejected');
  return t('problem.unexpected', { message: error?.message ?? String(error) });
}
