// The W3C Bitstring Status List verifier of Digital Bazaar (@digitalbazaar/vc-bitstring-status-list), not written
// here: it dereferences the credential's statusListCredential, verifies the list's eddsa-rdfc-2022 proof and reads
// the bit. The list's issuer is the notary, not the badge's issuer: verifyMatchingIssuers (a check of that
// library, not of the REC's algorithm) is turned off, as docs/status-list.md says.
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { documentLoader } from '../../service/credentials/loader';

/** Reads the revocation bit of `credential` with the outside library; `fetchList` answers the list URL. */
export async function outsideStatus(
  credential: object,
  fetchList: (url: string) => Promise<unknown>,
): Promise<{ verified: boolean; revoked?: boolean; error?: string }> {
  const loader = async (url: string) => {
    if (/\/v1\/status-lists\//.test(url)) return { contextUrl: null, documentUrl: url, document: await fetchList(url) };
    return documentLoader(url);
  };
  const result = await checkStatus({
    credential,
    documentLoader: loader,
    suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
    verifyMatchingIssuers: false,
  });
  return { verified: result.verified, revoked: result.results?.[0]?.status, error: result.error?.message };
}
