/** Sign in with an API token; the role it carries decides what the console shows. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth.tsx';
import { setLang } from './i18n.ts';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { login } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main style={{ maxWidth: 420, margin: '10vh auto', padding: 16 }}>
      <Card
        title={<Typography.Title level={3} style={{ margin: 0 }}>{t('app')}</Typography.Title>}
        extra={<Button type="link" onClick={() => setLang(i18n.language === 'en' ? 'zh-CN' : 'en')} data-testid="lang-switch">{t('lang.switch')}</Button>}
      >
        <Typography.Paragraph>{t('login.intro')}</Typography.Paragraph>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
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
          <Form.Item label={t('login.token')} name="token" rules={[{ required: true, message: t('login.required') }]}>
            <Input.Password autoComplete="off" data-testid="token-input" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
