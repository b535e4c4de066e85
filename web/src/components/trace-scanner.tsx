/**
 * Scan a code with the device camera (QR with a Digital Link, GS1 DataMatrix, GS1-128, EAN). zxing is
 * loaded only when the scanner opens, so pages that never scan never download it. Camera errors are
 * explained in words a store or QA user can act on, in both languages.
 */
import { Alert, Modal, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addTranslations } from '../i18n.ts';

addTranslations('scanner', {
  'zh-CN': {
    title: '扫码',
    hint: '将条码或二维码对准取景框。',
    starting: '正在打开摄像头…',
    video: '摄像头画面',
    cancel: '取消',
    denied: '无法使用摄像头：浏览器或系统拒绝了摄像头权限。请在地址栏左侧的网站设置中允许“摄像头”，然后重试；也可以直接输入码。',
    noCamera: '没有找到可用的摄像头。请连接摄像头，或直接输入码。',
    busy: '摄像头正被其他应用占用。请关闭其他使用摄像头的应用后重试。',
    insecure: '浏览器只允许在 HTTPS（或 localhost）页面使用摄像头。请通过 HTTPS 打开控制台，或直接输入码。',
    failed: '无法启动扫码：{{message}}',
  },
  en: {
    title: 'Scan a code',
    hint: 'Point the camera at the barcode or QR code.',
    starting: 'Opening the camera…',
    video: 'Camera view',
    cancel: 'Cancel',
    denied: 'The camera cannot be used: the browser or the system refused camera permission. Allow "Camera" in the site settings (left of the address bar) and try again, or type the code.',
    noCamera: 'No camera was found. Connect one, or type the code.',
    busy: 'Another application is using the camera. Close it and try again.',
    insecure: 'Browsers allow the camera only on HTTPS (or localhost) pages. Open the console over HTTPS, or type the code.',
    failed: 'Scanning could not start: {{message}}',
  },
});

interface Props {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onResult: (text: string) => void;
}

/** Which message explains a camera error, by its DOMException name. */
function cameraError(error: unknown): 'denied' | 'noCamera' | 'busy' | 'failed' {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'noCamera';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy';
  return 'failed';
}

export function Scanner({ open, onClose, onResult }: Props) {
  const { t } = useTranslation('scanner');
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!open) return;
    let stopped = false;
    let controls: { stop(): void } | null = null;
    setError(null);
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      setError(t('insecure'));
      return;
    }
    setStarting(true);
    void (async () => {
      try {
        const { BrowserMultiFormatReader } = await import('@zxing/browser');
        if (stopped || !video.current) return;
        const reader = new BrowserMultiFormatReader();
        controls = await reader.decodeFromVideoDevice(undefined, video.current, (result, _err, c) => {
          if (result && !stopped) {
            stopped = true;
            c.stop();
            onResult(result.getText());
          }
        });
        if (stopped) controls.stop();
      } catch (e) {
        if (!stopped) setError(t(cameraError(e), { message: (e as Error | null)?.message ?? String(e) }));
      } finally {
        setStarting(false);
      }
    })();
    return () => {
      stopped = true;
      controls?.stop();
    };
  }, [open, onResult, t]);

  return (
    <Modal open={open} title={t('title')} onCancel={onClose} footer={null} destroyOnHidden cancelText={t('cancel')}>
      {error ? (
        <Alert type="warning" showIcon title={error} role="alert" data-testid="scan-error" />
      ) : (
        <>
          <Typography.Paragraph>{t('hint')}</Typography.Paragraph>
          {starting && <Spin tip={t('starting')} />}
          <video ref={video} aria-label={t('video')} muted playsInline style={{ width: '100%', maxHeight: 360, background: '#000' }} />
        </>
      )}
    </Modal>
  );
}
