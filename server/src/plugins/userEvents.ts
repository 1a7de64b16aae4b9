import type { Db } from '../db/connection.js';

type Listener = (userId: number) => void;
const listeners = new WeakMap<object, Set<Listener>>();

/**
 * "This user's account, sessions or room assignments changed": live sockets re-check the user and
 * are closed or narrowed (issue 14). One registry per database, so services that only hold the
 * database can report a change.
 */
export function onUserChanged(db: Db, fn: Listener): () => void {
  let set = listeners.get(db.$client);
  if (!set) {
    set = new Set();
    listeners.set(db.$client, set);
  }
  set.add(fn);
  return () => set.delete(fn);
}

export function userChanged(db: Db, userId: number): void {
  for (const fn of listeners.get(db.$client) ?? []) fn(userId);
}
