/**
 * Which pages a role sees in the navigation. The server decides what a role
 * may do (403 `forbidden`); this only keeps the navigation to what is useful.
 */
import type { Role } from './domain-types';

export type Page = 'search' | 'profile' | 'dashboard' | 'explore' | 'segments' | 'identity' | 'data-quality' | 'audit' | 'admin';

const pagesByRole: Record<Role, readonly Page[]> = {
  admin: ['search', 'profile', 'dashboard', 'explore', 'segments', 'identity', 'data-quality', 'audit', 'admin'],
  agent: ['search', 'profile'],
  manager: ['search', 'profile', 'dashboard', 'data-quality'],
  analyst: ['explore', 'dashboard', 'segments'],
  ingest: [],
};

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
