import { lazy } from 'react';
import { AuditOutlined } from '@ant-design/icons';
import type { PageDef } from '../types.ts';

const page: PageDef = {
  path: '/review',
  title: '比对复核',
  icon: AuditOutlined,
  permission: 'review',
  order: 30,
  component: lazy(() => import('./ReviewPage.tsx')),
};
export default page;
