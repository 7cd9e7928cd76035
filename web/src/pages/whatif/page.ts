import { lazy } from 'react';
import { ExperimentOutlined } from '@ant-design/icons';
import type { PageDef } from '../types.ts';

const page: PageDef = {
  path: '/whatif',
  title: '测算',
  icon: ExperimentOutlined,
  anyPermission: ['manage_standards', 'evaluate', 'read_aggregates'],
  order: 50,
  component: lazy(() => import('./WhatIfPage.tsx')),
};
export default page;
