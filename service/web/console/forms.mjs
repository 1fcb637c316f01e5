/**
 * The console's forms read into actions (actions.mjs): each names a bad field before the wallet is asked
 * anything. `read(formData, { network, memberId })` returns the action or throws an InputProblem; `member` says
 * whether the verb needs the account to control a member (every verb but apply). No DOM: FormData only.
 */
import { ZeroHash, getAddress, isAddress, isHexString, keccak256 } from './ethers.mjs';
import * as actions from './actions.mjs';
import { KeyInputError, keyHashOfInput, parsePublicKey } from './keys.mjs';

/** A field filled wrongly: its label's and the reason's i18n keys, said in the language shown. */
export class InputProblem extends Error {
  constructor(field, reason) {
    super(`${field}: ${reason}`);
    this.name = 'InputProblem';
    this.field = field;
    this.reason = reason;
  }
}

export const FORMS = {
  'apply-form': {
    member: false,
    // The metadata file, when given, is hashed here as `member apply --metadata-file` hashes it: keccak-256 of its bytes.
    async read(form, { network }) {
      const did = text(form, 'did', 'apply.did');
      if (!/^did:[a-z0-9]+:\S+$/.test(did)) throw new InputProblem('apply.did', 'input.did');
      const file = form.get('metadataFile');
      const metadataHash = file && file.size ? keccak256(new Uint8Array(await file.arrayBuffer())) : ZeroHash;
      return actions.applyAction({ did, role: form.get('role'), metadataUri: optional(form, 'metadataUri'), metadataHash }, network);
    },
  },
  'vote-form': {
    member: true,
    read: (form, { network }) => actions.voteAction({ vote: form.get('vote'), memberId: positive(form, 'memberId', 'vote.member') }, network),
  },
  'quorum-form': {
    member: true,
    read: (form, { network }) => actions.quorumAction({ quorum: positive(form, 'quorum', 'quorum.value') }, network),
  },
  'key-add-form': {
    member: true,
    // The key file is read here, in the browser; only its public key goes into the action.
    async read(form, { memberId }) {
      const file = form.get('keyFile');
      const source = optional(form, 'key') || (file && file.size ? await file.text() : '');
      if (!source) throw new InputProblem('keyAdd.text', 'input.required');
      return actions.keyAddAction({
        memberId,
        key: keyField(() => parsePublicKey(source), 'keyAdd.text'),
        validFrom: seconds(form, 'validFrom'),
        validUntil: seconds(form, 'validUntil'),
      });
    },
  },
  'key-revoke-form': {
    member: true,
    read: (form, { memberId }) =>
      actions.keyRevokeAction({
        memberId,
        keyHash: keyField(() => keyHashOfInput(text(form, 'key', 'keyRevoke.text')), 'keyRevoke.text'),
        compromisedAt: seconds(form, 'compromisedAt'),
      }),
  },
  'notary-form': {
    member: true,
    read: (form, { memberId }) => actions.notaryAction({ memberId, change: form.get('change'), address: address(form) }),
  },
  'revoker-form': {
    member: true,
    read: (form, { memberId }) => actions.revokerAction({ memberId, change: form.get('change'), address: address(form) }),
  },
  'endorse-form': {
    member: true,
    read(form, { network, memberId }) {
      const kind = form.get('kind');
      const subject = kind === 'member' ? positive(form, 'subject', 'endorse.subject') : text(form, 'subject', 'endorse.subject');
      if (kind !== 'member' && !isHexString(subject, 32)) throw new InputProblem('endorse.subject', 'input.bytes32');
      const change = form.get('change');
      const claim = optional(form, 'claim');
      if (change === 'endorse' && !claim) throw new InputProblem('endorse.claim', 'input.required');
      return actions.endorseAction({ memberId, change, kind, subject, claim }, network);
    },
  },
};

function optional(form, name) {
  return String(form.get(name) ?? '').trim();
}

function text(form, name, label) {
  const value = optional(form, name);
  if (!value) throw new InputProblem(label, 'input.required');
  return value;
}

function positive(form, name, label) {
  const value = text(form, name, label);
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new InputProblem(label, 'input.positive');
  return Number(value);
}

function address(form) {
  const value = text(form, 'address', 'address.label');
  if (!isAddress(value)) throw new InputProblem('address.label', 'input.address');
  return getAddress(value);
}

/** A datetime-local field as Unix seconds (in the browser's time zone), 0 when empty. */
function seconds(form, name) {
  const value = optional(form, name);
  return value ? Math.floor(new Date(value).getTime() / 1000) : 0;
}

function keyField(parse, label) {
  try {
    return parse();
  } catch (error) {
    if (error instanceof KeyInputError) throw new InputProblem(label, error.code);
    throw error;
  }
}
