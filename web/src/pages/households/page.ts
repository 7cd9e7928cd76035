import { lazy } from 'react';
import { HomeOutlined } from '@ant-design/icons';
import type { PageDef } from '../types.ts';

const pages: PageDef[] = [
  {
    path: '/households',
    title: '户档案',
    icon: HomeOutlined,
    permission: 'read_records',
    order: 40,
    component: lazy(() => import('./HouseholdListPage.tsx')),
  },
  {
    path: '/households/:householdId',
    title: '户档案详情',
    permission: 'read_records',
    menu: false,
    component: lazy(() => import('./HouseholdPage.tsx')),
  },
];
export default pages;
