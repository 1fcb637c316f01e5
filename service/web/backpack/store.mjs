/* global localStorage */
/**
 * The backpack's contents, kept in this browser only (localStorage): the badges (each credential as it was
 * imported, its receipt, what the cards show, its collection, whether it is shown), and the names the earner gave
 * collections. Nothing of it is sent anywhere but to POST /v1/verify, which stores nothing.
 */

const STORAGE_KEY = 'badge-backpack/1';

/** An empty backpack. */
export function emptyBackpack() {
  return { badges: [], names: {} };
}

/** The backpack as stored, or an empty one (a damaged entry is not thrown at the earner). */
export function loadBackpack(storage = localStorage) {
  try {
    const value = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
    if (value && Array.isArray(value.badges) && typeof value.names === 'object' && value.names !== null) return value;
  } catch {
    // unreadable: start again
  }
  return emptyBackpack();
}

export function saveBackpack(backpack, storage = localStorage) {
  storage.setItem(STORAGE_KEY, JSON.stringify(backpack));
}

/** Adds a badge; one already there (same id) is replaced, keeping whether it was shown. Returns the new backpack. */
export function addBadge(backpack, badge) {
  const existing = backpack.badges.find((item) => item.id === badge.id);
  const added = { ...badge, shown: existing ? existing.shown : true };
  const badges = existing ? backpack.badges.map((item) => (item.id === badge.id ? added : item)) : [...backpack.badges, added];
  return { ...backpack, badges };
}

export function removeBadge(backpack, id) {
  return { ...backpack, badges: backpack.badges.filter((item) => item.id !== id) };
}

export function setShown(backpack, id, shown) {
  return { ...backpack, badges: backpack.badges.map((item) => (item.id === id ? { ...item, shown } : item)) };
}

/** Names a collection; an empty name goes back to the default. */
export function nameCollection(backpack, key, name) {
  const names = { ...backpack.names };
  if (name.trim() === '') delete names[key];
  else names[key] = name.trim();
  return { ...backpack, names };
}
