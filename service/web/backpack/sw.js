/* global self, caches, fetch, URL, Response */
/**
 * The backpack's service worker (scope /backpack: the backpack and /backpack-share). It keeps the two pages' own
 * files, the chain they verify against (network.json) and the verifier bundled for the browser (chain-verifier.js):
 * each is fetched from the service first (so an update arrives at once) and, when the service cannot be reached,
 * answered from the cache. Nothing else passes through it: the verification API and the chain's answers are never
 * cached, so a badge is only ever shown verified by a live answer (the service's, or the chain's).
 */
const CACHE = 'badge-backpack-files-v2';
const FILES = [
  'backpack',
  'backpack-share',
  'backpack-files/backpack.mjs',
  'backpack-files/shared.mjs',
  'backpack-files/cards.mjs',
  'backpack-files/collections.mjs',
  'backpack-files/store.mjs',
  'backpack-files/messages.mjs',
  'backpack-files/offline.mjs',
  'backpack-files/verification.mjs',
  'backpack-files/chain.mjs',
  'backpack-files/network.json',
  'backpack-files/backpack.css',
  'web/api.mjs',
  'web/badge.mjs',
  'web/i18n.mjs',
  'web/input.mjs',
  'web/render.mjs',
  'web/share.mjs',
  'web/style.css',
  'web/favicon.svg',
];
/** Built into dist/ only (scripts/build-browser-verifier.js): a service run from the sources has none, and the pages then verify through the service only. */
const VERIFIER = 'backpack-files/chain-verifier.js';
const root = new URL('./', self.location.href);
const KEPT = new Set([...FILES, VERIFIER].map((file) => new URL(file, root).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all([cache.addAll(FILES.map((file) => new URL(file, root).href)), cache.add(new URL(VERIFIER, root).href).catch(() => undefined)]),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  if (request.method !== 'GET' || !KEPT.has(url.href)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.href, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.href).then((cached) => cached ?? Response.error())),
  );
});
