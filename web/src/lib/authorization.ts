/**
 * Which pages a role sees in the navigation. The server decides what a role
 * may do (403 `forbidden`); this only keeps the navigation to what is useful.
 */
import type { Role } from './domain-types';

export type Page =
  | 'search'
  | 'profile'
  | 'dashboard'
  | 'explore'
  | 'segments'
  | 'identity'
  | 'data-quality'
  | 'audit'
  | 'admin';

const pagesByRole: Record<Role, readonly Page[]> = {
  admin: [
    'search',
    'profile',
    'dashboard',
    'explore',
    'segments',
    'identity',
    'data-quality',
    'audit',
    'admin',
  ],
  agent: ['search', 'profile'],
  // Managers see customers pseudonymized: the search by name, contact or number is refused to them (server privacy/oracles.ts).
  manager: ['dashboard', 'profile', 'data-quality'],
  analyst: ['explore', 'dashboard', 'segments'],
  ingest: [],
};

/**
 * Roles that see customers pseudonymized (initials, no contact data, no free
 * text): the server refuses them any text search and any filter finer than
 * what they are shown, so the UI does not offer those.
 */
export function seesPseudonymized(role: Role | undefined): boolean {
  return role === 'manager' || role === 'analyst';
}

export function canSee(role: Role | undefined, page: Page): boolean {
  return role ? (pagesByRole[role] ?? []).includes(page) : false;
}

/** Where a role lands after login when `/` (search) is not one of its pages. */
export function homePath(role: Role | undefined): string {
  if (!role || canSee(role, 'search')) return '/';
  const first = pagesByRole[role]?.[0];
  if (first === 'explore') return '/explore';
  if (first === 'dashboard') return '/dashboard';
  return '/';
}
