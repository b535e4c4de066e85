/**
 * Create or edit one master-data record, with a form generated from the entity's field definitions
 * (GET /api/master-data/schema). The server decides what is valid (check digits, references, unique
 * GLNs): its errors are shown next to the field their JSON pointer names (`/gtin` → the GTIN field).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../api.ts';
import { addTranslations } from '../i18n.ts';
import { sendJson } from '../pages/master-data/md-http.ts';
import { type EntityView, type FieldView, type Kind, type MasterRecord, fieldErrors, labelOf } from '../pages/master-data/md-schema.ts';

addTranslations('md-form', {
  'zh-CN': {
    create: '新建{{entity}}',
    edit: '编辑{{entity}}：{{id}}',
    save: '保存',
    cancel: '取消',
    required: '必填',
    badJson: '请输入 JSON 对象，例如 {"颜色": "红"}',
    jsonHelp: 'JSON 对象（可留空）',
    other: '保存失败',
    choose: '请选择',
    conflict: '此记录已被他人修改：关闭后重新打开以编辑最新版本。',
  },
  en: {
    create: 'New {{entity}}',
    edit: 'Edit {{entity}}: {{id}}',
    save: 'Save',
    cancel: 'Cancel',
    required: 'Required',
    badJson: 'Enter a JSON object, e.g. {"colour": "red"}',
    jsonHelp: 'JSON object (optional)',
    other: 'Could not save',
    choose: 'Choose',
    conflict: 'Someone else changed this record: close and open it again to edit the latest version.',
  },
});

type Values = Record<string, unknown>;

/** Form values from a record: JSON fields as text, the rest as they are. */
function toValues(entity: EntityView, record: MasterRecord | null): Values {
  const out: Values = {};
  for (const f of entity.fields) {
    const v = record?.[f.name];
    if (f.type === 'json') out[f.name] = v && typeof v === 'object' && Object.keys(v).length ? JSON.stringify(v, null, 2) : '';
    else out[f.name] = v ?? undefined;
  }
  return out;
}

/** The request body: empty optional fields are left out when creating and cleared (null) when editing. */
function toBody(entity: EntityView, values: Values, editing: boolean): Values {
  const body: Values = {};
  for (const f of entity.fields) {
    let v = values[f.name];
    if (typeof v === 'string') v = v.trim();
    if (f.type === 'json') v = v ? (JSON.parse(String(v)) as unknown) : undefined;
    const empty = v === undefined || v === null || v === '';
    if (editing && f.identifier) continue;
    if (empty) {
      if (editing && !f.required) body[f.name] = f.type === 'json' ? {} : null;
      continue;
    }
    body[f.name] = v;
  }
  return body;
}

function RefSelect({ kind, id, value, onChange, label }: { kind: Kind; id?: string; value?: string; onChange?: (v: string | undefined) => void; label: string }) {
  const { t, i18n } = useTranslation('md-form');
  const list = useQuery({ queryKey: ['md', kind, 'options'], queryFn: () => api<{ items: MasterRecord[] }>(`/api/${kind}${qs({ limit: 1000 })}`) });
  const idField = { products: 'productId', locations: 'locationId', parties: 'partyId', equipment: 'equipmentId', operators: 'operatorId' }[kind];
  return (
    <Select
      id={id}
      aria-label={label}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('choose')}
      loading={list.isLoading}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={(list.data?.items ?? []).map((r) => {
        const name = String((i18n.language === 'en' ? r.nameEn : r.nameZh) ?? r.name ?? '');
        return { value: String(r[idField]), label: `${String(r[idField])} ${name}` };
      })}
    />
  );
}

function control(f: FieldView, label: string, t: (k: string) => string) {
  switch (f.type) {
    case 'enum':
      return <Select aria-label={label} allowClear={!f.required} placeholder={t('choose')} options={(f.values ?? []).map((v) => ({ value: v, label: v }))} />;
    case 'int':
      return <InputNumber aria-label={label} min={f.minimum} max={f.maximum} precision={0} style={{ width: '100%' }} />;
    case 'number':
      return <InputNumber aria-label={label} min={f.minimum} max={f.maximum} style={{ width: '100%' }} />;
    case 'ref':
      return <RefSelect kind={f.refersTo ?? 'locations'} label={label} />;
    case 'json':
      return <Input.TextArea aria-label={label} rows={3} placeholder={t('jsonHelp')} spellCheck={false} />;
    case 'gtin':
    case 'gln':
      return <Input aria-label={label} inputMode="numeric" autoComplete="off" />;
    case 'email':
      return <Input aria-label={label} type="email" autoComplete="off" />;
    case 'id':
    case 'text':
      return <Input aria-label={label} maxLength={f.maxLength} autoComplete="off" />;
    default: {
      const never: never = f.type;
      return never;
    }
  }
}

export function RecordForm({ entity, record, open, onClose }: { entity: EntityView; record: MasterRecord | null; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('md-form');
  const lang = i18n.language;
  const [form] = Form.useForm<Values>();
  const [other, setOther] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const editing = record !== null;
  const id = record ? String(record[entity.idField]) : '';

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(toValues(entity, record));
      setOther(null);
    }
  }, [open, entity, record, form]);

  const save = useMutation({
    mutationFn: (body: Values) =>
      editing
        ? sendJson<MasterRecord>('PUT', `/api/${entity.kind}/${encodeURIComponent(id)}`, body, { 'if-match': `"${record.version}"` })
        : api<MasterRecord>(`/api/${entity.kind}`, { method: 'POST', body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['md', entity.kind] });
      onClose();
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setOther(String(error));
      if (error.status === 409) {
        // Show the other person's version in the table behind the dialog.
        void queryClient.invalidateQueries({ queryKey: ['md', entity.kind] });
        return setOther(`${error.title} — ${t('conflict')}`);
      }
      const byField = fieldErrors(error.errors);
      const known = new Set(entity.fields.map((f) => f.name));
      form.setFields([...byField].filter(([name]) => known.has(name)).map(([name, message]) => ({ name, errors: [message] })));
      const rest = [...byField].filter(([name]) => !known.has(name)).map(([name, m]) => `${name}: ${m}`);
      setOther(byField.size === 0 || rest.length ? [error.title, error.message !== error.title ? error.message : '', ...rest].filter(Boolean).join(' — ') : null);
    },
  });

  const submit = async () => {
    const values = await form.validateFields();
    setOther(null);
    save.mutate(toBody(entity, values, editing));
  };

  const entityName = labelOf(entity, lang);
  return (
    <Modal
      open={open}
      title={editing ? t('edit', { entity: entityName, id }) : t('create', { entity: entityName })}
      okText={t('save')}
      cancelText={t('cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'md-save' } as Record<`data-${string}`, string>}
    >
      {other && <Alert type="error" showIcon title={t('other')} description={other} style={{ marginBottom: 16 }} data-testid="md-form-error" />}
      <Form form={form} name="md-form" layout="vertical" requiredMark onValuesChange={(changed: Values) => form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))}>
        {entity.fields.map((f) => {
          const label = labelOf(f, lang);
          return (
            <Form.Item
              key={f.name}
              name={f.name}
              label={`${label} (${f.name})`}
              rules={[
                ...(f.required ? [{ required: true, message: t('required') }] : []),
                ...(f.type === 'json'
                  ? [{
                      validator: async (_: unknown, v: unknown) => {
                        if (!v) return;
                        const parsed = JSON.parse(String(v)) as unknown;
                        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
                      },
                      message: t('badJson'),
                    }]
                  : []),
              ]}
              validateTrigger="onBlur"
            >
              {f.identifier && editing ? <Input aria-label={label} disabled /> : control(f, label, t)}
            </Form.Item>
          );
        })}
      </Form>
    </Modal>
  );
}
