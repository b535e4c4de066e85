/** The shell's own strings (navigation, login, errors); pages register theirs next to them. */
import { addTranslations } from './i18n.ts';

addTranslations('common', {
  'zh-CN': {
    app: 'Lotline 追溯与召回',
    nav: { overview: '总览', trace: '追溯查询', recalls: '召回事件', tasks: '召回任务', drills: '召回演练', masterData: '主数据', labels: '标签打印', audit: '审计日志', demoData: '演示数据' },
    lang: { switch: 'English', label: '切换语言' },
    login: {
      title: '登录',
      intro: '粘贴 API 令牌登录（管理员可用 lotline token create 或 /api/tokens 创建）。',
      token: 'API 令牌',
      submit: '登录',
      required: '请输入令牌',
      failed: '令牌无效、已撤销或已过期',
      logout: '退出',
    },
    role: { admin: '管理员', qa: '质量', production: '生产', warehouse: '仓库', store: '门店', supplier: '供应商', regulator: '监管', viewer: '只读' },
    error: { title: '出错了', retry: '重试', forbidden: '当前角色无权访问此页面', notFound: '页面不存在', back: '返回总览' },
    loading: '加载中…',
    skip: '跳到主要内容',
  },
  en: {
    app: 'Lotline traceability & recall',
    nav: { overview: 'Overview', trace: 'Trace', recalls: 'Recalls', tasks: 'Recall tasks', drills: 'Drills', masterData: 'Master data', labels: 'Labels', audit: 'Audit log', demoData: 'Demo data' },
    lang: { switch: '中文', label: 'Switch language' },
    login: {
      title: 'Sign in',
      intro: 'Paste an API token (an admin creates one with lotline token create or /api/tokens).',
      token: 'API token',
      submit: 'Sign in',
      required: 'Enter a token',
      failed: 'The token is unknown, revoked or expired',
      logout: 'Sign out',
    },
    role: { admin: 'Admin', qa: 'QA', production: 'Production', warehouse: 'Warehouse', store: 'Store', supplier: 'Supplier', regulator: 'Regulator', viewer: 'Viewer' },
    error: { title: 'Something went wrong', retry: 'Retry', forbidden: 'Your role may not open this page', notFound: 'No such page', back: 'Back to the overview' },
    loading: 'Loading…',
    skip: 'Skip to main content',
  },
});
