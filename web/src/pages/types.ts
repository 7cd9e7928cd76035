import type { ComponentType, LazyExoticComponent } from 'react';
import type { Permission } from '../api/types.ts';

/**
 * One page of the shell. Each folder under pages/ has a `page.ts` whose default
 * export is a PageDef (or several, e.g. a list and its detail route); the
 * registry discovers them, so adding a capability's page is adding one folder.
 */
export interface PageDef {
  /** Route path, e.g. '/imports' or '/households/:householdId'. */
  path: string;
  /** Menu and document title (Chinese). */
  title: string;
  icon?: ComponentType;
  /** Needed permission; the menu hides the page and the route refuses it without. */
  permission?: Permission;
  /** Any one of these permissions is enough (e.g. review OR read_records). */
  anyPermission?: Permission[];
  /** Menu position (ascending); pages with `menu: false` are routes only. */
  order?: number;
  menu?: boolean;
  /** Lazy so each page (and its charts) is its own chunk. */
  component: LazyExoticComponent<ComponentType>;
}
