/**
 * Sign in two ways (issue 6): a person with organisation, login name and password (the default: the
 * server keeps the session in an HttpOnly cookie), or an API token (integrations, shared kiosks, and
 * the first admin before any user exists). Either way the role decides what the console shows.
 */
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';
import { useAuth } from './auth.tsx';
import { addTranslations, setLang } from './i18n.ts';

addTranslations('session', {
  'zh-CN': {
    method: '登录方式',
    tabPassword: '账号密码',
    tabToken: 'API 令牌',
    intro: '使用管理员为您创建的账号登录。',
    org: '组织',
    orgHelp: '组织编号，例如 demo',
    login: '登录名',
    password: '密码',
    required: '必填',
    failed: '组织、登录名或密码错误，或账号已停用',
    tooMany: '尝试次数过多，请一分钟后再试',
  },
  en: {
    method: 'How to sign in',
    tabPassword: 'Login name and password',
    tabToken: 'API token',
    intro: 'Sign in with the account an admin created for you.',
    org: 'Organisation',
    orgHelp: 'The organisation id, e.g. demo',
    login: 'Login name',
    password: 'Password',
    required: 'Required',
    failed: 'The organisation, login name or password is wrong, or the account is disabled',
    tooMany: 'Too many attempts: try again in a minute',
  },
});

const ORG_KEY = 'lotline.org';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { t: ts } = useTranslation('session');
  const { login, loginWithPassword } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<'password' | 'token'>('password');

  const passwordForm = (
    <Form
      layout="vertical"
      initialValues={{ org: localStorage.getItem(ORG_KEY) ?? '' }}
      onFinish={async (values: { org: string; login: string; password: string }) => {
        setBusy(true);
        setError(null);
        try {
          const org = values.org.trim().toLowerCase();
          await loginWithPassword({ org, login: values.login.trim(), password: values.password });
          localStorage.setItem(ORG_KEY, org);
        } catch (e) {
          setError(e instanceof ApiError && e.status === 429 ? ts('tooMany') : ts('failed'));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph>{ts('intro')}</Typography.Paragraph>
      <Form.Item label={ts('org')} name="org" extra={ts('orgHelp')} rules={[{ required: true, whitespace: true, message: ts('required') }]}>
        <Input autoComplete="organization" autoCapitalize="none" spellCheck={false} data-testid="org-input" />
      </Form.Item>
      <Form.Item label={ts('login')} name="login" rules={[{ required: true, whitespace: true, message: ts('required') }]}>
        <Input autoComplete="username" autoCapitalize="none" spellCheck={false} data-testid="login-input" />
      </Form.Item>
      <Form.Item label={ts('password')} name="password" rules={[{ required: true, message: ts('required') }]}>
        <Input.Password autoComplete="current-password" data-testid="password-input" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="password-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );

  const tokenForm = (
    <Form
      layout="vertical"
      onFinish={async (values: { token: string }) => {
        setBusy(true);
        setError(null);
        try {
          await login(values.token.trim());
        } catch {
          setError(t('login.failed'));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph>{t('login.intro')}</Typography.Paragraph>
      <Form.Item label={t('login.token')} name="token" rules={[{ required: true, message: t('login.required') }]}>
        <Input.Password autoComplete="off" data-testid="token-input" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="login-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );

  return (
    <main style={{ maxWidth: 440, margin: '8vh auto', padding: 16 }}>
      <Card
        title={<Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('app')}</Typography.Title>}
        extra={<Button type="link" onClick={() => setLang(i18n.language === 'en' ? 'zh-CN' : 'en')} data-testid="lang-switch">{t('lang.switch')}</Button>}
      >
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        {/* Segmented rather than Tabs: its choices are labelled radio buttons, usable by keyboard and screen readers. */}
        <Segmented
          block
          aria-label={ts('method')}
          value={tab}
          onChange={(key) => {
            setTab(key as 'password' | 'token');
            setError(null);
          }}
          options={[
            { value: 'password', label: <span data-testid="login-tab-password">{ts('tabPassword')}</span> },
            { value: 'token', label: <span data-testid="login-tab-token">{ts('tabToken')}</span> },
          ]}
          style={{ marginBottom: 16 }}
        />
        {tab === 'password' ? passwordForm : tokenForm}
      </Card>
    </main>
  );
}
