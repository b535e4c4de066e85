/**
 * Import a CSV file: choose it, send it with a progress bar (sending, then the server checking every
 * row), and see what happened — rows added and updated, or a table of the rows the server refused
 * with their row number, column and message. Used for master data and the holiday calendar.
 */
import { Alert, Button, Checkbox, Flex, Modal, Progress, Space, Spin, Table, Typography } from 'antd';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ProblemDetail } from '../api.ts';
import { addTranslations } from '../i18n.ts';
import type { UploadPhase } from '../pages/master-data/md-http.ts';
import { srOnly } from '../pages/master-data/md-schema.ts';

addTranslations('md-import', {
  'zh-CN': {
    file: 'CSV 文件（UTF-8，第一行为列名）',
    none: '尚未选择文件',
    choose: '选择文件…',
    template: '下载模板',
    validRows: '只导入有效行，报告其余行（默认：有任何错误则整个文件不导入）',
    start: '导入',
    close: '关闭',
    sending: '正在上传 {{percent}}%',
    processing: '服务器正在逐行检查并导入…',
    failed: '导入失败',
    rowErrors: '以下 {{count}} 处错误（按行号）',
    row: '行号',
    column: '列',
    message: '问题',
    fixHint: '改正文件中的这些单元格后重新导入。',
  },
  en: {
    file: 'CSV file (UTF-8, column names in the first row)',
    none: 'No file chosen',
    choose: 'Choose a file…',
    template: 'Download template',
    validRows: 'Import the valid rows and report the others (default: any error imports nothing)',
    start: 'Import',
    close: 'Close',
    sending: 'Uploading {{percent}}%',
    processing: 'The server is checking and importing every row…',
    failed: 'Import failed',
    rowErrors: '{{count}} problems, by row',
    row: 'Row',
    column: 'Column',
    message: 'Problem',
    fixHint: 'Correct these cells in the file and import it again.',
  },
});

export interface ImportOutcome {
  /** What to say when it worked (counts). */
  readonly summary: ReactNode;
  /** Rows refused in a partial import. */
  readonly errors: readonly ProblemDetail[];
}

/** A table of row errors: row number, column, message. */
export function RowErrors({ errors }: { errors: readonly ProblemDetail[] }) {
  const { t } = useTranslation('md-import');
  return (
    <Table
      data-testid="import-errors"
      size="small"
      rowKey={(_, i) => String(i)}
      pagination={errors.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: true }}
      dataSource={[...errors]}
      columns={[
        { title: t('row'), dataIndex: 'row', width: 72, render: (v?: number) => v ?? '—' },
        { title: t('column'), dataIndex: 'column', width: 140, render: (v: string | undefined, e: ProblemDetail) => v ?? e.pointer ?? '—' },
        { title: t('message'), dataIndex: 'message' },
      ]}
    />
  );
}

export function CsvImport({
  open,
  title,
  onClose,
  upload,
  onTemplate,
  allowValidRows = true,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  upload: (text: string, validRows: boolean, onProgress: (p: UploadPhase) => void) => Promise<ImportOutcome>;
  onTemplate?: () => void;
  allowValidRows?: boolean;
}) {
  const { t } = useTranslation('md-import');
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [validRows, setValidRows] = useState(false);
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [failure, setFailure] = useState<{ title: string; detail: string; errors: readonly ProblemDetail[] } | null>(null);

  useEffect(() => {
    if (open) {
      setFile(null);
      setPhase(null);
      setOutcome(null);
      setFailure(null);
    }
  }, [open]);

  const start = async () => {
    if (!file) return;
    setOutcome(null);
    setFailure(null);
    try {
      const text = await file.text();
      setOutcome(await upload(text, validRows, setPhase));
    } catch (error) {
      if (error instanceof ApiError) setFailure({ title: error.title, detail: error.message === error.title ? '' : error.message, errors: error.errors });
      else setFailure({ title: t('failed'), detail: String(error), errors: [] });
    } finally {
      setPhase(null);
    }
  };

  const busy = phase !== null;
  const rowErrors = failure?.errors.filter((e) => e.row !== undefined || e.column !== undefined) ?? [];
  return (
    <Modal
      open={open}
      title={title}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      maskClosable={!busy}
      width={760}
      footer={
        <Space wrap>
          <Button onClick={onClose} disabled={busy}>{t('close')}</Button>
          <Button type="primary" onClick={() => void start()} disabled={!file} loading={busy} data-testid="import-start">{t('start')}</Button>
        </Space>
      }
    >
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center">
          <label htmlFor={inputId}>{t('file')}</label>
          <input
            ref={inputRef}
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            disabled={busy}
            tabIndex={-1}
            style={srOnly}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setOutcome(null);
              setFailure(null);
            }}
          />
          <Button onClick={() => inputRef.current?.click()} disabled={busy}>{t('choose')}</Button>
          <Typography.Text type={file ? undefined : 'secondary'} data-testid="import-file-name">{file ? file.name : t('none')}</Typography.Text>
          {onTemplate && <Button onClick={onTemplate} data-testid="import-template">{t('template')}</Button>}
        </Flex>
        {allowValidRows && (
          <Checkbox checked={validRows} onChange={(e) => setValidRows(e.target.checked)} disabled={busy}>
            {t('validRows')}
          </Checkbox>
        )}
        {phase?.phase === 'sending' && (
          <div data-testid="import-progress">
            <Progress percent={Math.round(phase.fraction * 100)} status="active" />
            <Typography.Text>{t('sending', { percent: Math.round(phase.fraction * 100) })}</Typography.Text>
          </div>
        )}
        {phase?.phase === 'processing' && (
          <div data-testid="import-progress">
            <Spin /> <Typography.Text>{t('processing')}</Typography.Text>
          </div>
        )}
        {outcome && (
          <>
            <Alert type={outcome.errors.length ? 'warning' : 'success'} showIcon title={outcome.summary} data-testid="import-summary" />
            {outcome.errors.length > 0 && <RowErrors errors={outcome.errors} />}
          </>
        )}
        {failure && (
          <>
            <Alert type="error" showIcon title={failure.title} description={<>{failure.detail && <div>{failure.detail}</div>}{rowErrors.length > 0 && <div>{t('fixHint')}</div>}</>} data-testid="import-failure" />
            {rowErrors.length > 0 && (
              <>
                <Typography.Text strong>{t('rowErrors', { count: rowErrors.length })}</Typography.Text>
                <RowErrors errors={rowErrors} />
              </>
            )}
          </>
        )}
      </Flex>
    </Modal>
  );
}
