/**
 * Scope: propose a version (trace rules, lots added or left out by hand with reasons), the frozen
 * version as a table (lot, product, why, units) and a tree of where it went (city → store), the
 * versions with their diff and approval, the holds in force, and a POS check for any code.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Flex, Form, Input, List, Select, Space, Table, Tag, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { useServerErrors, usePagination } from '../../components/recall-badges.tsx';
import { type CaseAnswer, SectionTitle, SubTitle, caseKey, casePath, lotLabel, useCaseCommand, when } from './case-shared.tsx';
import './texts.ts';

const RULES = ['downstream', 'raw_lot', 'session', 'equipment', 'vehicle', 'excursion'] as const;

interface Place { readonly id: string; readonly name: string | null; readonly type: string | null; readonly city: string | null }
interface Quantities { readonly place: Place; readonly received: number; readonly sold: number; readonly onHand: number; readonly produced: number }
interface Evidence { readonly rule: string; readonly detail: string; readonly detailZh: string; readonly shared: string }
interface Item { readonly lot: string; readonly gtin: string | null; readonly lotNumber: string | null; readonly productName: { zh: string | null; en: string | null } | null; readonly evidence: readonly Evidence[]; readonly locations: readonly Quantities[] }
interface Snapshot { readonly version: number; readonly reason: string; readonly createdAt: string; readonly items: readonly Item[]; readonly diff: { added: string[]; removed: string[] }; readonly totals: { lots: number; units: number; locations: number; cities: number }; readonly approvedAt: string | null; readonly basis: { rules: string[] } }

function ProposeForm({ answer }: { readonly answer: CaseAnswer }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const s = answer.case;
  const server = useServerErrors(form, ['rules', 'include', 'exclude', 'reason', 'codes']);
  const propose = useCaseCommand(
    s.caseId,
    (v: { rules: string[]; include?: { code: string; reason: string }[]; exclude?: { code: string; reason: string }[]; reason: string }) => ({
      path: '/scope',
      body: { rules: v.rules, reason: v.reason, ...(v.include?.length ? { include: v.include } : {}), ...(v.exclude?.length ? { exclude: v.exclude } : {}) },
    }),
    { onMutate: server.clear, onError: server.fail },
  );
  const rows = (name: 'include' | 'exclude') => (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={4}>
          <Typography.Text strong id={`${name}-label`}>{t(`scope.${name}`)}</Typography.Text>
          {fields.map((f) => (
            <Flex key={f.key} wrap gap={8} align="start">
              <Form.Item name={[f.name, 'code']} rules={[{ required: true, whitespace: true }]} style={{ flex: '1 1 240px', margin: 0 }}>
                <Input aria-label={`${t(`scope.${name}`)} ${f.name + 1}: ${t('scope.code')}`} placeholder={t('scope.code')} />
              </Form.Item>
              <Form.Item name={[f.name, 'reason']} rules={[{ required: true, whitespace: true }]} style={{ flex: '1 1 200px', margin: 0 }}>
                <Input aria-label={`${t(`scope.${name}`)} ${f.name + 1}: ${t('common.reason')}`} placeholder={t('common.reason')} />
              </Form.Item>
              <Button onClick={() => remove(f.name)}>{t('scope.remove')}</Button>
            </Flex>
          ))}
          <Button onClick={() => add({ code: '', reason: '' })} style={{ alignSelf: 'flex-start' }} aria-describedby={`${name}-label`}>
            {t('scope.addRow')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
  return (
    <Card title={<SectionTitle>{t('scope.propose')}</SectionTitle>} data-testid="scope-propose">
      {server.errors}
      <Form form={form} name="scope" layout="vertical" onFinish={(v) => propose.mutate(v)} initialValues={{ rules: ['downstream'] }}>
        <Form.Item name="rules" label={t('scope.rules')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group data-testid="scope-rules" options={RULES.map((r) => ({ value: r, label: t(`rule.${r}`) }))} />
        </Form.Item>
        <Flex vertical gap={12} style={{ marginBottom: 16 }}>
          {rows('include')}
          {rows('exclude')}
        </Flex>
        <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="scope-reason" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={propose.isPending} data-testid="scope-submit">{t('scope.submit')}</Button>
      </Form>
    </Card>
  );
}

function ApproveForm({ answer, version }: { readonly answer: CaseAnswer; readonly version: number }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const server = useServerErrors(form, ['reason']);
  const approve = useCaseCommand(answer.case.caseId, (v: { reason: string }) => ({ path: `/scope/${version}/approve`, body: { reason: v.reason } }), { onMutate: server.clear, onError: server.fail });
  return (
    <>
      {server.errors}
      {approve.data?.outcome?.unreachable.length ? <Alert type="warning" showIcon title={approve.data.outcome.unreachable.join(', ')} /> : null}
      <Form form={form} name="approve" layout="inline" onFinish={(v) => approve.mutate(v)} style={{ rowGap: 8 }} data-testid="approve-form">
        <Form.Item name="reason" label={t('scope.approveReason')} rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]} style={{ flex: '1 1 260px' }}>
          <Input maxLength={2000} data-testid="approve-reason" />
        </Form.Item>
        <Button type="primary" danger htmlType="submit" loading={approve.isPending} data-testid="approve-submit">{t('scope.approve')} (v{version})</Button>
      </Form>
    </>
  );
}

function Versions({ answer, selected, onSelect, canDecide }: { readonly answer: CaseAnswer; readonly selected: number | null; readonly onSelect: (v: number) => void; readonly canDecide: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const s = answer.case;
  const latest = s.scopes.at(-1);
  return (
    <Card title={<SectionTitle>{t('scope.versions')}</SectionTitle>} data-testid="scope-versions">
      <List
        dataSource={[...s.scopes].reverse()}
        renderItem={(v) => (
          <List.Item
            data-testid={`scope-version-${v.version}`}
            actions={[<Button key="show" type={selected === v.version ? 'primary' : 'default'} onClick={() => onSelect(v.version)} aria-pressed={selected === v.version}>{t('scope.version', { v: v.version })}</Button>]}
          >
            <Flex vertical gap={4} style={{ minWidth: 0 }}>
              <Space wrap>
                <Typography.Text strong>{t('scope.version', { v: v.version })}</Typography.Text>
                {v.approved ? <Tag color="success">{t('scope.approved')} {when(v.approved.at, i18n.language)}</Tag> : <Tag color="warning">{t('scope.pending')}</Tag>}
                {s.approvedVersion === v.version && <Tag color="red">{t('hold.title')}</Tag>}
              </Space>
              <Typography.Text>{t('scope.totals', v.totals)}</Typography.Text>
              <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>{t('common.reason')}: {v.reason}</Typography.Text>
              {v.added.length === 0 && v.removed.length === 0 ? (
                v.version > 1 && <Typography.Text type="secondary">{t('scope.noDiff')}</Typography.Text>
              ) : (
                <Flex wrap gap={4}>
                  {v.added.map((l) => <Tag key={`a${l}`} color="green">+ {lotLabel(l)}</Tag>)}
                  {v.removed.map((l) => <Tag key={`r${l}`} color="default">− {lotLabel(l)}</Tag>)}
                </Flex>
              )}
            </Flex>
          </List.Item>
        )}
      />
      {canDecide && latest && !latest.approved && answer.allowed.includes('approve_scope') && <ApproveForm answer={answer} version={latest.version} />}
    </Card>
  );
}

function ScopeTable({ caseId, version }: { readonly caseId: string; readonly version: number }) {
  const { t, i18n } = useTranslation('recall');
  const en = i18n.language === 'en';
  const pagination20 = usePagination(20);
  const q = useQuery({ queryKey: [...caseKey(caseId), 'scope', version], queryFn: () => api<Snapshot>(`${casePath(caseId)}/scope${qs({ version })}`) });
  const tree = useMemo(() => {
    const byCity = new Map<string, Map<string, { name: string; received: number; onHand: number; sold: number }>>();
    for (const item of q.data?.items ?? []) {
      for (const l of item.locations) {
        if (l.produced > 0 || l.received <= 0) continue;
        const city = l.place.city ?? '—';
        const stores = byCity.get(city) ?? new Map();
        byCity.set(city, stores);
        const cur = stores.get(l.place.id) ?? { name: l.place.name ?? l.place.id, received: 0, onHand: 0, sold: 0 };
        stores.set(l.place.id, { ...cur, received: cur.received + l.received, onHand: cur.onHand + l.onHand, sold: cur.sold + l.sold });
      }
    }
    return [...byCity.entries()]
      .sort((a, b) => a[0].localeCompare(b[0], 'zh'))
      .map(([city, stores]) => {
        const sum = [...stores.values()].reduce((s, x) => ({ received: s.received + x.received, onHand: s.onHand + x.onHand }), { received: 0, onHand: 0 });
        return {
          key: `city:${city}`,
          title: `${city} — ${stores.size} · ${t('scope.received')} ${sum.received} · ${t('scope.onHand')} ${sum.onHand}`,
          children: [...stores.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([id, x]) => ({ key: id, title: `${x.name} · ${t('scope.received')} ${x.received} · ${t('scope.sold')} ${x.sold} · ${t('scope.onHand')} ${x.onHand}`, isLeaf: true })),
        };
      });
  }, [q.data, t]);
  if (q.error) return <Alert type="error" showIcon title={(q.error as Error).message} />;
  const snap = q.data;
  return (
    <Card title={<SectionTitle>{t('scope.version', { v: version })}</SectionTitle>} loading={q.isLoading} data-testid="scope-snapshot">
      {snap && (
        <Flex vertical gap={12}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
            { key: 't', label: t('scope.lots'), children: <span data-testid="scope-totals">{t('scope.totals', snap.totals)}</span> },
            { key: 'r', label: t('scope.rules'), children: snap.basis.rules.map((r) => t(`rule.${r}`, { defaultValue: r })).join('、') || '—' },
            { key: 'c', label: t('common.at'), children: when(snap.createdAt, i18n.language) },
            { key: 'a', label: t('scope.approved'), children: when(snap.approvedAt, i18n.language) },
          ]} />
          <Table<Item>
            size="small"
            rowKey="lot"
            dataSource={[...snap.items]}
            pagination={pagination20}
            scroll={{ x: true }}
            data-testid="scope-table"
            columns={[
              { title: t('scope.lots'), dataIndex: 'lot', render: (lot: string, r) => <Typography.Text style={{ wordBreak: 'break-all' }}>{r.lotNumber ?? lotLabel(lot)}</Typography.Text> },
              { title: t('scope.product'), key: 'p', render: (_: unknown, r) => (en ? r.productName?.en ?? r.productName?.zh : r.productName?.zh ?? r.productName?.en) ?? r.gtin ?? '—' },
              {
                title: t('scope.why'),
                key: 'why',
                render: (_: unknown, r) => (
                  <Flex vertical gap={2}>
                    {r.evidence.map((e, i) => (
                      <span key={i}>
                        <Tag>{t(`rule.${e.rule}`, { defaultValue: e.rule })}</Tag>
                        {en ? e.detail : e.detailZh}
                      </span>
                    ))}
                  </Flex>
                ),
              },
              { title: t('common.units'), key: 'u', align: 'right', render: (_: unknown, r) => Math.max(0, ...r.locations.map((l) => l.produced)) },
            ]}
          />
          <SubTitle>{t('scope.tree')}</SubTitle>
          <Tree treeData={tree} defaultExpandAll={tree.length <= 3} selectable={false} data-testid="scope-tree" style={{ whiteSpace: 'normal' }} />
        </Flex>
      )}
    </Card>
  );
}

interface PosAnswer { readonly sellable: boolean; readonly shippable: boolean; readonly reason: string; readonly caseNumber?: string | null; readonly drill?: boolean; readonly instruction?: string | null }

export function PosCheck({ initial }: { readonly initial?: string }) {
  const { t, i18n } = useTranslation('recall');
  const [code, setCode] = useState(initial ?? '');
  const [answer, setAnswer] = useState<PosAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    if (!code.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setAnswer(await api<PosAnswer>(`/api/pos/check${qs({ code: code.trim(), lang: i18n.language === 'en' ? 'en' : 'zh-CN' })}`));
    } catch (e) {
      setAnswer(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={8} data-testid="pos-check">
      <SubTitle>{t('pos.title')}</SubTitle>
      <Space.Compact style={{ width: '100%' }}>
        <Input aria-label={t('pos.code')} placeholder={t('pos.code')} value={code} onChange={(e) => setCode(e.target.value)} onPressEnter={() => void check()} data-testid="pos-code" />
        <Button type="primary" onClick={() => void check()} loading={busy} data-testid="pos-submit">{t('pos.check')}</Button>
      </Space.Compact>
      {error && <Alert type="error" showIcon title={error} />}
      {answer && (
        <Alert
          data-testid="pos-result"
          data-sellable={String(answer.sellable)}
          type={answer.sellable ? 'success' : 'error'}
          showIcon
          title={<span>{answer.sellable ? t('pos.sellable') : t('pos.notSellable')} · {answer.shippable ? t('pos.shippable') : t('pos.notShippable')}</span>}
          description={<span style={{ wordBreak: 'break-word' }}>{answer.reason}{answer.instruction ? ` — ${answer.instruction}` : ''}</span>}
        />
      )}
    </Flex>
  );
}

export function CaseScope({ answer, canDecide, canPos }: { readonly answer: CaseAnswer; readonly canDecide: boolean; readonly canPos: boolean }) {
  const { t } = useTranslation('recall');
  const s = answer.case;
  const [selected, setSelected] = useState<number | null>(null);
  const shown = selected ?? s.approvedVersion ?? s.scopes.at(-1)?.version ?? null;
  const held = s.scopes.find((v) => v.version === s.approvedVersion);
  return (
    <Flex vertical gap={16}>
      {canDecide && answer.allowed.includes('propose_scope') && s.scopes.length === 0 && <ProposeForm answer={answer} />}
      {s.scopes.length > 0 ? <Versions answer={answer} selected={shown} onSelect={setSelected} canDecide={canDecide} /> : <Alert type="info" showIcon title={t('scope.empty')} />}
      {shown !== null && <ScopeTable caseId={s.caseId} version={shown} />}
      <Card title={<SectionTitle>{t('hold.title')}</SectionTitle>} data-testid="holds">
        {held ? (
          <Flex vertical gap={4}>
            <Typography.Text strong>{t('hold.inForce', { v: held.version })}</Typography.Text>
            {s.drill && <Typography.Text type="secondary">{t('hold.drillNote')}</Typography.Text>}
            <Flex wrap gap={4}>
              {held.lots.map((l) => <Tag key={l} color={s.drill ? 'gold' : 'red'} style={{ whiteSpace: 'normal', wordBreak: 'break-all' }}>{lotLabel(l)}</Tag>)}
            </Flex>
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('hold.none')}</Typography.Text>
        )}
        {canPos && <div style={{ marginTop: 16 }}><PosCheck initial={s.codes[0]} /></div>}
      </Card>
      {/* An amendment (a new version) comes after reading the scope in force. */}
      {canDecide && answer.allowed.includes('propose_scope') && s.scopes.length > 0 && <ProposeForm answer={answer} />}
    </Flex>
  );
}
