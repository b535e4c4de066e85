import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Button, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth.tsx';
import './i18n.ts';
import { LoginPage } from './LoginPage.tsx';
import { PAGES } from './pages.tsx';
import { Shell } from './Shell.tsx';
import './styles.css';
import './texts.ts';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Routed() {
  const { t } = useTranslation();
  const { me, loading, can } = useAuth();
  if (loading) return <Spin fullscreen tip={t('loading')} />;
  if (!me) return <LoginPage />;
  return (
    <Routes>
      <Route element={<Shell />}>
        {PAGES.map((p) => (
          <Route
            key={p.path}
            path={p.path}
            element={can(p.permission) ? <p.component /> : <Result status="403" title={t('error.forbidden')} extra={<Link to="/">{t('error.back')}</Link>} />}
          />
        ))}
        <Route path="*" element={<Result status="404" title={t('error.notFound')} extra={<Link to="/"><Button>{t('error.back')}</Button></Link>} />} />
      </Route>
    </Routes>
  );
}

function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1d39c4', colorLink: '#1d39c4', colorError: '#a8071a' } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <BrowserRouter basename="/console">
              <Suspense fallback={null}>
                <Routed />
              </Suspense>
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
