/**
 * How the backpack's pages verify badges: through the service (POST /v1/verify) when it answers; when it cannot be
 * reached, straight against the chain in this browser (chain.mjs). Each outcome says which path verified it
 * (`via`: 'service' or 'chain'), and the cards say so. A badge neither path could check is 'unchecked', never
 * shown with an old "verified".
 */
import { verifyCredential } from '../web/api.mjs';
import { cardState } from './cards.mjs';
import { verifyOnChain } from './chain.mjs';
import { statusOf, summaryOf } from './collections.mjs';
import { unreachable } from './offline.mjs';

/** The request body of a badge: its credential, and its receipt when it travels apart. */
function requestOf(badge) {
  return badge.receipt === undefined ? { credential: badge.credential } : { credential: badge.credential, receipt: badge.receipt };
}

/** What a report gives a card: its summary and its state, with the path that verified it. */
export function outcomeOf(report, via) {
  return { report, summary: summaryOf(report), state: { ...cardState(statusOf(report), report), via } };
}

/**
 * Verifies `badges` ([{ credential, receipt? }]); resolves, never rejects, with one outcome per badge, in order:
 * { report?, summary?, state: { status, via?, ... } }. The service first, each badge on its own; the ones it could
 * not be reached for go to the chain together (one reader: one registry call for all of them).
 */
export async function verifyBadges(badges) {
  const outcomes = await Promise.all(
    badges.map(async (badge) => {
      try {
        return outcomeOf(await verifyCredential(requestOf(badge)), 'service');
      } catch (error) {
        return { state: { status: unreachable(error) ? 'unchecked' : 'failed' }, error };
      }
    }),
  );
  const offline = outcomes.flatMap((outcome, index) => (outcome.state.status === 'unchecked' ? [index] : []));
  if (offline.length === 0) return outcomes;
  try {
    const reports = await verifyOnChain(offline.map((index) => requestOf(badges[index])));
    offline.forEach((index, position) => {
      outcomes[index] = outcomeOf(reports[position], 'chain');
    });
  } catch (error) {
    // ChainUnavailableError: no RPC URL, the node unreachable or another chain's; the badges stay unchecked.
    for (const index of offline) outcomes[index] = { ...outcomes[index], chainError: error };
  }
  return outcomes;
}
