/**
 * Demo data: load a seed story's brand into this organisation and watch the load's progress
 * (POST /api/demo-data, then GET /api/jobs/{id} every half second until it ends).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, InputNumber, Progress, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api.ts';
import { addTranslations } from '../../i18n.ts';

addTranslations('demo', {
  'zh-CN': {
    title: '演示数据',
    intro: '把种子故事中的演示品牌（主数据、门店联系人、一整季的 EPCIS 事件）加载到当前组织，用于培训和试用。可重复执行：已有的数据不会重复写入。',
    story: '演示品牌',
    mooncake: '月华坊 · 星辰月饼（封口不严，35 家门店，3 个城市）',
    cherry: '时光印记 · 春日樱花饼（湿度超标，2 号车，城市书房门店）',
    load: '开始加载',
    running: '正在加载…',
    done: '加载完成',
    failed: '加载失败',
    stored: '新写入事件',
    events: '事件总数',
    masterData: '新增主数据',
    tryIt: '试一试：追溯这个包装',
    scaleTitle: '规模数据',
    scaleIntro: '生成与性能测试相同的烘焙品牌数据（320 家门店、逐件序列号、箱与托盘、车辆与温湿度），通过正式采集流程写入当前组织，用于试用与容量评估。相同种子重复执行不会重复写入。',
    eventCount: '事件数',
    seed: '随机种子',
    generate: '开始生成',
  },
  en: {
    title: 'Demo data',
    intro: "Load a demo brand from the seed stories (master data, store contacts, a season of EPCIS events) into this organisation, for training and trials. Safe to repeat: what is there already is not written twice.",
    story: 'Demo brand',
    mooncake: 'Yuehuafang · Star mooncake (seal leak, 35 stores, 3 cities)',
    cherry: 'Shiguang · Spring cherry-blossom cake (humidity excursion, van #2, the city library store)',
    load: 'Load',
    running: 'Loading…',
    done: 'Loaded',
    failed: 'The load failed',
    stored: 'Events stored',
    events: 'Events in the story',
    masterData: 'Master data records added',
    tryIt: 'Try it: trace this box',
    scaleTitle: 'Scale data',
    scaleIntro: 'Generate the bakery brand the benchmarks use (320 stores, serialised units, cases and pallets, vehicles, temperature and humidity) into this organisation through the real capture path, for trials and sizing. The same seed again stores nothing new.',
    eventCount: 'Events',
    seed: 'Seed',
    generate: 'Generate',
  },
});

interface Job {
  readonly jobId: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly done: number;
  readonly total: number | null;
  readonly step: { readonly 'zh-CN': string; readonly en: string } | null;
  readonly result: { stored: number; events: number; masterData: number; codes: { unitQr: string } } | null;
  readonly error: { title: string; detail: string } | null;
}

export default function DemoDataPage() {
  const { t, i18n } = useTranslation('demo');
  const [story, setStory] = useState<'mooncake' | 'cherry-blossom'>('mooncake');
  const [jobId, setJobId] = useState<string | null>(null);
  const [scale, setScale] = useState({ events: 50_000, seed: 1 });
  const start = useMutation({
    mutationFn: () => api<Job>('/api/demo-data', { body: { story, publicBaseUrl: window.location.origin } }),
    onSuccess: (job) => setJobId(job.jobId),
  });
  const generate = useMutation({
    mutationFn: () => api<Job>('/api/demo-data/scale', { body: scale }),
    onSuccess: (job) => setJobId(job.jobId),
  });
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api<Job>(`/api/jobs/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' || !q.state.data ? 500 : false),
  });
  const j = job.data;
  const percent = j?.total ? Math.round((100 * j.done) / j.total) : 0;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('story')}</Typography.Title>}>
        <Typography.Paragraph>{t('intro')}</Typography.Paragraph>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Radio.Group aria-label={t('story')} value={story} onChange={(e) => setStory(e.target.value as typeof story)} disabled={j?.status === 'running'}>
            <Space direction="vertical">
              <Radio value="mooncake">{t('mooncake')}</Radio>
              <Radio value="cherry-blossom">{t('cherry')}</Radio>
            </Space>
          </Radio.Group>
          <Button type="primary" onClick={() => start.mutate()} loading={start.isPending || j?.status === 'running'} data-testid="demo-load">
            {j?.status === 'running' ? t('running') : t('load')}
          </Button>
          {start.error && <Alert type="error" role="alert" showIcon title={(start.error as ApiError).message} />}
        </Space>
      </Card>
      <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('scaleTitle')}</Typography.Title>}>
        <Typography.Paragraph>{t('scaleIntro')}</Typography.Paragraph>
        <Form layout="inline" onFinish={() => generate.mutate()}>
          <Form.Item label={t('eventCount')} htmlFor="scale-events">
            <InputNumber id="scale-events" min={1000} max={2_000_000} step={10_000} value={scale.events} onChange={(v) => setScale((x) => ({ ...x, events: Number(v ?? 1000) }))} />
          </Form.Item>
          <Form.Item label={t('seed')} htmlFor="scale-seed">
            <InputNumber id="scale-seed" min={1} value={scale.seed} onChange={(v) => setScale((x) => ({ ...x, seed: Number(v ?? 1) }))} />
          </Form.Item>
          <Button htmlType="submit" loading={generate.isPending || j?.status === 'running'} disabled={j?.status === 'running'} data-testid="scale-generate">
            {t('generate')}
          </Button>
        </Form>
        {generate.error && <Alert type="error" role="alert" showIcon title={(generate.error as ApiError).message} style={{ marginTop: 12 }} />}
      </Card>
      {j && (
        <Card data-testid="demo-job" data-status={j.status}>
          <Progress percent={j.status === 'done' ? 100 : percent} status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'} aria-label={t('running')} />
          <Typography.Paragraph role="status" aria-live="polite">
            {j.status === 'running' ? (j.step?.[lang] ?? t('running')) : j.status === 'done' ? t('done') : t('failed')}
          </Typography.Paragraph>
          {j.error && <Alert type="error" role="alert" showIcon title={j.error.title} description={j.error.detail} />}
          {j.result && (
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('events')}>{j.result.events}</Descriptions.Item>
              <Descriptions.Item label={t('stored')}>{j.result.stored}</Descriptions.Item>
              <Descriptions.Item label={t('masterData')}>{j.result.masterData}</Descriptions.Item>
              <Descriptions.Item label={t('tryIt')}>
                <Link to={`/trace?code=${encodeURIComponent(j.result.codes.unitQr)}`}>{j.result.codes.unitQr}</Link>
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      )}
    </Space>
  );
}
