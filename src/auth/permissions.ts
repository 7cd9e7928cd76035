/**
 * Role → permissions, as data, in one place. Routes never test roles; they
 * test permissions (src/api/auth-context.ts) and the region prefix.
 */
import type { Permission, Role } from '../api/auth-context.ts';

export const ROLES: readonly Role[] = [
  'county_admin',
  'county_staff_prm',
  'county_staff_lip',
  'township',
  'village',
  'department',
  'analyst',
  'auditor',
];

export const ALL_PERMISSIONS: readonly Permission[] = [
  'read_records',
  'unmask',
  'import',
  'merge',
  'review',
  'read_aggregates',
  'evaluate',
  'manage_standards',
  'manage_users',
  'read_audit',
];

/** 角色名称 (UI / CLI). */
export const ROLE_LABELS: Record<Role, string> = {
  county_admin: '县级管理员',
  county_staff_prm: '县乡村振兴局工作人员',
  county_staff_lip: '县民政局工作人员',
  township: '乡镇干部',
  village: '村干部',
  department: '部门联络员',
  analyst: '分析人员',
  auditor: '审计人员',
};

const COUNTY_STAFF: Permission[] = ['read_records', 'unmask', 'import', 'merge', 'review', 'read_aggregates', 'evaluate', 'manage_standards'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  county_admin: ALL_PERMISSIONS,
  county_staff_prm: COUNTY_STAFF,
  county_staff_lip: COUNTY_STAFF,
  township: ['read_records', 'review', 'read_aggregates'],
  village: ['read_records'],
  // Departments see only cases pushed to them; the push routes filter by `department`.
  department: ['read_records'],
  analyst: ['read_aggregates', 'evaluate'],
  auditor: ['read_audit', 'read_aggregates'],
};

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

export function permissionsFor(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

/** A 行政区划 prefix: '' (everything) or 2, 4, 6, 9 or 12 digits. */
export function isValidRegionPrefix(p: string): boolean {
  return p === '' || /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(p);
}
