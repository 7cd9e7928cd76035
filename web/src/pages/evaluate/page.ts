import { lazy } from 'react';
import { FundOutlined } from '@ant-design/icons';
import type { PageDef } from '../types.ts';

const page: PageDef = {
  path: '/evaluate',
  title: '评估',
  icon: FundOutlined,
  permission: 'evaluate',
  order: 60,
  component: lazy(() => import('./EvaluatePage.tsx')),
};
export default page;
