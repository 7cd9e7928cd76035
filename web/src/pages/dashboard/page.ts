import { lazy } from 'react';
import { DashboardOutlined } from '@ant-design/icons';
import type { PageDef } from '../types.ts';

const page: PageDef = {
  path: '/',
  title: '总览',
  icon: DashboardOutlined,
  permission: 'read_aggregates',
  order: 10,
  component: lazy(() => import('./DashboardPage.tsx')),
};
export default page;
