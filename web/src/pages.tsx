/**
 * The console's pages: path, the permission that shows it, its navigation entry, and its module,
 * loaded only when opened (lazy routes keep the first load small).
 */
import { AuditOutlined, BarcodeOutlined, CheckSquareOutlined, CloudDownloadOutlined, DashboardOutlined, DatabaseOutlined, ExperimentOutlined, NodeIndexOutlined, WarningOutlined } from '@ant-design/icons';
import { type ComponentType, lazy, type LazyExoticComponent, type ReactNode } from 'react';

export interface PageDef {
  readonly path: string;
  /** Key under `nav.` in the common texts; absent for pages reached from other pages. */
  readonly nav?: string;
  readonly icon?: ReactNode;
  readonly permission: string;
  readonly component: LazyExoticComponent<ComponentType>;
}

export const PAGES: readonly PageDef[] = [
  { path: '/', nav: 'overview', icon: <DashboardOutlined />, permission: 'masterdata:read', component: lazy(() => import('./pages/overview/OverviewPage.tsx')) },
  { path: '/trace', nav: 'trace', icon: <NodeIndexOutlined />, permission: 'trace:read', component: lazy(() => import('./pages/trace/TracePage.tsx')) },
  { path: '/recalls', nav: 'recalls', icon: <WarningOutlined />, permission: 'recall:read', component: lazy(() => import('./pages/recall/RecallListPage.tsx')) },
  { path: '/recalls/:caseId', permission: 'recall:read', component: lazy(() => import('./pages/recall/RecallCasePage.tsx')) },
  { path: '/tasks', nav: 'tasks', icon: <CheckSquareOutlined />, permission: 'recall:acknowledge', component: lazy(() => import('./pages/recall/StoreTasksPage.tsx')) },
  { path: '/drills', nav: 'drills', icon: <ExperimentOutlined />, permission: 'recall:read', component: lazy(() => import('./pages/drills/DrillsPage.tsx')) },
  { path: '/master-data/:kind?', nav: 'masterData', icon: <DatabaseOutlined />, permission: 'masterdata:read', component: lazy(() => import('./pages/master-data/MasterDataPage.tsx')) },
  { path: '/labels', nav: 'labels', icon: <BarcodeOutlined />, permission: 'masterdata:write', component: lazy(() => import('./pages/labels/LabelsPage.tsx')) },
  { path: '/demo-data', nav: 'demoData', icon: <CloudDownloadOutlined />, permission: 'demo:load', component: lazy(() => import('./pages/demo/DemoDataPage.tsx')) },
  { path: '/audit', nav: 'audit', icon: <AuditOutlined />, permission: 'audit:read', component: lazy(() => import('./pages/audit/AuditPage.tsx')) },
];
