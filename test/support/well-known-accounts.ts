export { wellKnownAccount } from '../../service/chain/well-known-accounts';
