/**
 * One recall case, everything of its workflow on one page: the header (number, title, status, level,
 * legal clocks, drill marker) and a tab per stage. What can be done is what the case's `allowed`
 * commands and the user's permissions say; the server stays the judge (its 409 is shown as is).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Alert, Button, Card, Flex, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api, download } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Clocks, DrillTag, LevelBadge, StatusTag } from '../../components/recall-badges.tsx';
import { type CaseAnswer, SectionTitle, caseKey, casePath } from './case-shared.tsx';
import { CaseNotices } from './CaseNotices.tsx';
import { AssessForm, CaseTimeline, EvidenceCard, NoticePlanForm } from './CaseOverview.tsx';
import { CaseProgress } from './CaseProgress.tsx';
import { CaseRca } from './CaseRca.tsx';
import { CaseReturns } from './CaseReturns.tsx';
import { CaseScope } from './CaseScope.tsx';
import './texts.ts';

const TABS = ['overview', 'scope', 'notices', 'progress', 'returns', 'rca', 'reports'] as const;

function Reports({ answer }: { readonly answer: CaseAnswer }) {
  const { t } = useTranslation('recall');
  const s = answer.case;
  const kinds = ['plan', 'progress', 'summary', 'closing', ...(s.drill ? ['drill'] : [])];
  const offset = (() => {
    const m = -new Date().getTimezoneOffset();
    const a = Math.abs(m);
    return `${m >= 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  })();
  return (
    <Card title={<SectionTitle>{t('reports.title')}</SectionTitle>} data-testid="reports">
      <Flex vertical gap={12}>
        {kinds.map((k) => (
          <Flex key={k} wrap gap={8} align="center">
            <Typography.Text strong style={{ minWidth: 200 }}>{t(`reports.${k}`)}</Typography.Text>
            <Button onClick={() => void download(`${casePath(s.caseId)}/reports/${k}?format=pdf&timeZoneOffset=${encodeURIComponent(offset)}`, `${s.caseNumber}-${k}.pdf`)} aria-label={`${t(`reports.${k}`)} PDF`} data-testid={`report-${k}-pdf`}>
              {t('reports.pdf')}
            </Button>
            <Button onClick={() => void download(`${casePath(s.caseId)}/reports/${k}?format=json`, `${s.caseNumber}-${k}.json`)} aria-label={`${t(`reports.${k}`)} JSON`}>
              {t('reports.json')}
            </Button>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}

export default function RecallCasePage() {
  const { t, i18n } = useTranslation('recall');
  const { caseId = '' } = useParams();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = useQuery({ queryKey: [...caseKey(caseId), 'case'], queryFn: () => api<CaseAnswer>(casePath(caseId)) });
  // Ant Design's tab overflow button ("more") has no text: name it for screen readers.
  const tabsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const b of tabsRef.current?.querySelectorAll('.ant-tabs-nav-more') ?? []) b.setAttribute('aria-label', t('tab.more'));
  });
  if (q.isLoading) return <Spin tip={t('list.title')}><div style={{ minHeight: 200 }} /></Spin>;
  if (q.error) {
    const e = q.error;
    return <Result status={e instanceof ApiError && e.status === 404 ? '404' : 'error'} title={e.message} extra={<Link to="/recalls">{t('list.title')}</Link>} />;
  }
  const answer = q.data as CaseAnswer;
  const s = answer.case;
  const canDecide = can('recall:decide');
  const canRecover = can('recall:recover');
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as string) : 'overview';
  const content: Record<(typeof TABS)[number], React.ReactNode> = {
    overview: (
      <Flex vertical gap={16}>
        <AssessForm answer={answer} canDecide={canDecide} />
        <NoticePlanForm answer={answer} canDecide={canDecide} />
        <EvidenceCard answer={answer} canDecide={canDecide} />
        <CaseTimeline caseId={caseId} />
      </Flex>
    ),
    scope: <CaseScope answer={answer} canDecide={canDecide} canPos={can('pos:check')} />,
    notices: <CaseNotices answer={answer} />,
    progress: <CaseProgress answer={answer} />,
    returns: <CaseReturns answer={answer} canRecover={canRecover} />,
    rca: <CaseRca answer={answer} canDecide={canDecide} />,
    reports: <Reports answer={answer} />,
  };
  return (
    <Flex vertical gap={16} data-testid="recall-case" data-status={s.status}>
      <Flex vertical gap={8}>
        <Typography.Text type="secondary"><Link to={s.drill ? '/drills' : '/recalls'}>{s.drill ? t('drill') : t('list.title')}</Link> / {s.caseNumber}</Typography.Text>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0, wordBreak: 'break-word' }} data-testid="case-title">
          {s.caseNumber} · {s.title}
        </Typography.Title>
        <Space wrap>
          <StatusTag status={s.status} />
          <LevelBadge level={s.assessment?.level} />
          {s.assessment?.fdaClass && <Tag>FDA Class {s.assessment.fdaClass}</Tag>}
          {s.assessment?.voluntary && <Tag color="cyan">{t('assess.voluntary')}</Tag>}
          {s.drill && <DrillTag />}
          <Tag>{t(`hazard.${s.hazard}`, { defaultValue: s.hazard })}</Tag>
          <Tag>{t(`origin.${s.origin}`, { defaultValue: s.origin })}</Tag>
        </Space>
        <Clocks clocks={answer.clocks} />
        {s.drill && <Alert type="warning" showIcon title={t('drillBanner')} />}
        <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>{s.codes.join(' · ')}</Typography.Text>
        {answer.allowed.length === 0 && <Typography.Text type="secondary">{t('common.notAllowed', { status: t(`status.${s.status}`) })}</Typography.Text>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{new Date(s.opened.at).toLocaleString(i18n.language)}</Typography.Text>
      </Flex>
      <div ref={tabsRef}>
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          const next = new URLSearchParams(params);
          next.set('tab', k);
          setParams(next, { replace: true });
        }}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`tab.${k}`)}</span>, children: content[k] }))}
        destroyOnHidden
      />
      </div>
    </Flex>
  );
}
