/** The frame around every page: navigation by role, language switch, who is signed in. */
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from './auth.tsx';
import { setLang } from './i18n.ts';
import { PAGES } from './pages.tsx';

export function Shell() {
  const { t, i18n } = useTranslation();
  const { me, can, logout } = useAuth();
  const location = useLocation();
  const visible = PAGES.filter((p) => p.nav && can(p.permission));
  const selected = visible
    .filter((p) => (p.path === '/' ? location.pathname === '/' : location.pathname.startsWith(p.path.replace(/\/:.*$/, ''))))
    .map((p) => p.path);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a href="#main" className="skip-link">{t('skip')}</a>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200} zeroWidthTriggerStyle={{ top: 12 }}>
        <Typography.Title level={5} style={{ padding: '16px 16px 0', margin: 0 }}>Lotline</Typography.Title>
        <nav aria-label={t('app')}>
          <Menu mode="inline" selectedKeys={selected} items={visible.map((p) => ({ key: p.path, icon: p.icon, label: <Link to={p.path.replace(/\/:.*$/, '')}>{t(`nav.${p.nav}`)}</Link> }))} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', height: 'auto', minHeight: 64, lineHeight: 1.5, padding: '8px 16px 8px 56px', display: 'flex', flexWrap: 'wrap', justifyContent: 'flex-end', alignItems: 'center' }}>
          <Space wrap>
            {me && (
              <span data-testid="whoami">
                {me.orgName} <Tag color="blue">{t(`role.${me.role}`)}</Tag>
              </span>
            )}
            <Button aria-label={t('lang.label')} onClick={() => setLang(i18n.language === 'en' ? 'zh-CN' : 'en')} data-testid="lang-switch">
              {t('lang.switch')}
            </Button>
            <Button onClick={logout}>{t('login.logout')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} style={{ margin: 16 }}>
          <Suspense fallback={<Spin tip={t('loading')} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
