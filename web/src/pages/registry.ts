/** All pages, discovered from pages/<name>/page.ts. */
import type { Permission } from '../api/types.ts';
import type { PageDef } from './types.ts';

const modules = import.meta.glob<{ default: PageDef | PageDef[] }>('./*/page.ts', { eager: true });

export const pages: PageDef[] = Object.values(modules)
  .flatMap((m) => (Array.isArray(m.default) ? m.default : [m.default]))
  .sort((a, b) => (a.order ?? 1000) - (b.order ?? 1000));

export function allowed(page: PageDef, can: (p: Permission | undefined) => boolean): boolean {
  if (page.anyPermission && page.anyPermission.length > 0) return page.anyPermission.some((p) => can(p));
  return can(page.permission);
}
