import { lazy } from 'react';
import { CloudUploadOutlined } from '@ant-design/icons';
import type { PageDef } from '../types.ts';

const page: PageDef = {
  path: '/imports',
  title: '数据导入',
  icon: CloudUploadOutlined,
  permission: 'import',
  order: 20,
  component: lazy(() => import('./ImportsPage.tsx')),
};
export default page;
