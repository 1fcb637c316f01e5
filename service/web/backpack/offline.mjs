/* global navigator, window, document, URL */
/**
 * Offline: the service worker (sw.js) keeps the backpack's and the share page's own files, so both open without
 * the network after a first visit. Registering it takes a TrustedScriptURL under the pages' Trusted Types rule:
 * the one policy the backpack's CSP allows, `backpack-worker`, makes one of the worker's own address and nothing else.
 */

/** Registers the worker for the scope /backpack (the backpack and /backpack-share). Never throws: offline is a bonus. */
export async function keepOffline() {
  if (!('serviceWorker' in navigator)) return false;
  const workerUrl = new URL('backpack-sw.js', document.baseURI).href;
  const scope = new URL('backpack', document.baseURI).href;
  try {
    const policy = window.trustedTypes?.createPolicy('backpack-worker', {
      createScriptURL(url) {
        if (url !== workerUrl) throw new TypeError(`not the backpack's worker: ${url}`);
        return url;
      },
    });
    await navigator.serviceWorker.register(policy ? policy.createScriptURL(workerUrl) : workerUrl, { scope });
    return true;
  } catch {
    return false;
  }
}

/** Whether an API error means the service could not be reached (offline, or the service is down). */
export function unreachable(error) {
  return error?.name === 'ApiError' && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}
