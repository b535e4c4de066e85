/**
 * Every word the consumer page says, in Chinese and English, and how the page picks its language:
 * `?lang=` first, else the browser's Accept-Language (zh… → zh-CN, anything else → en).
 */

export type ConsumerLang = 'zh-CN' | 'en';

/**
 * The page language.
 * @example consumerLang(null, 'fr-FR,zh;q=0.8') // 'zh-CN' (the first language the page has)
 */
export function consumerLang(lang: string | null | undefined, acceptLanguage: string | undefined): ConsumerLang {
  if (lang === 'zh-CN' || lang === 'en') return lang;
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), q: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((t) => t.tag !== '' && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const t of tags) {
    if (t.tag === 'zh' || t.tag.startsWith('zh-')) return 'zh-CN';
    if (t.tag === 'en' || t.tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

const zh = {
  title: '产品信息',
  otherLang: 'English',
  product: '产品',
  batch: '批号',
  serial: '包装编号',
  producedAt: '生产时间',
  expiresAt: '保质期至',
  plantCity: '产地',
  qc: '质量检验',
  qcPassed: '出厂检验合格',
  qcInspected: '已抽样检验',
  story: '产品故事',
  storyBuilt: (name: string, city: string | null, date: string | null) =>
    `${name}${date ? `于 ${date} ` : ''}${city ? `在${city}的工厂` : '在我们的工厂'}新鲜制作，每一批次的原料、生产和质检都有完整记录。`,
  notRecalled: '该批次目前没有召回。',
  recallHeading: '召回通知：请勿食用',
  recallCase: (n: string) => `召回编号 ${n}`,
  whatToDo: '您需要做什么',
  howToReturn: '如何退货',
  returnIntro: '填写下方表格即可获得退货单号（可免费寄回），或直接带回任意门店，无需小票。',
  storeNoReceipt: '也可以直接带回任意门店退货，无需小票。',
  compensation: '补偿方式',
  compensations: { refund: '退款', voucher: '代金券', replacement: '换货' } as Record<string, string>,
  quantity: '数量（盒）',
  name: '姓名（可选）',
  phone: '手机号（可选）',
  email: '电子邮箱（可选）',
  city: '所在城市（可选）',
  returnSubmit: '申请退货',
  returnDone: (ref: string) => `退货申请已提交。您的退货单号：${ref}。请在包裹上写明此单号。`,
  checkLot: (n: string) => `该产品的部分批次正在召回（${n}）。此编码不含批号，请核对包装上印的批号，或扫描包装上的二维码。`,
  unknownUnit: '我们没有找到这个编码的生产记录。如果您购买了此产品，请通过下方表格联系我们。',
  authenticity: '扫码记录',
  firstScan: '这是该包装的首次扫码。',
  rescanned: (n: number, since: string) => `此编码自 ${since} 以来已被扫描 ${n} 次。`,
  manyScans: (n: number, since: string, spread: boolean) => `此编码自 ${since} 以来已被扫描 ${n} 次${spread ? '，且来自多个不同网络' : ''}。如果您购买时包装封口已破损，请联系我们。`,
  complaintHeading: '反馈问题',
  complaintIntro: '产品有问题？请告诉我们，质量部门会跟进。',
  complaintText: '问题描述',
  photo: '照片（可选，JPEG/PNG/WebP，不超过 5 MB）',
  complaintSubmit: '提交反馈',
  complaintDone: (ref: string) => `感谢反馈，我们已收到。您的反馈编号：${ref}。`,
  errors: {
    textRequired: '请描述您遇到的问题。',
    textTooLong: '问题描述不能超过 2000 个字。',
    photoTooBig: '照片不能超过 5 MB。',
    photoType: '请上传 JPEG、PNG 或 WebP 格式的照片。',
    phone: '请输入有效的手机号或电话号码。',
    email: '请输入有效的电子邮箱地址。',
    quantity: '数量应为 1 到 20 之间的整数。',
    compensation: '请选择一种补偿方式。',
    notRecalled: '该产品目前不在召回中，无需退货。',
    unknownCode: '无法识别此编码。',
    failed: '提交失败，请稍后再试。',
  },
  fixErrors: '请更正标出的内容后再提交。',
  unknownTitle: '未找到该产品',
  unknownBody: '我们无法识别这个编码对应的产品。请确认您扫描的是包装上的二维码。',
  tooManyTitle: '请求过于频繁',
  tooManyBody: '请稍等一分钟后再试。',
};

type Words = typeof zh;

const en: Words = {
  title: 'Product information',
  otherLang: '中文',
  product: 'Product',
  batch: 'Batch',
  serial: 'Pack number',
  producedAt: 'Made on',
  expiresAt: 'Best before',
  plantCity: 'Made in',
  qc: 'Quality check',
  qcPassed: 'Passed release inspection',
  qcInspected: 'Sampled and inspected',
  story: 'Our story',
  storyBuilt: (name: string, city: string | null, date: string | null) =>
    `${name} was made fresh ${city ? `in our ${city} plant` : 'in our plant'}${date ? ` on ${date}` : ''}; the ingredients, production and quality checks of every batch are on record.`,
  notRecalled: 'This batch is not under recall.',
  recallHeading: 'Recall notice: do not eat',
  recallCase: (n: string) => `Recall ${n}`,
  whatToDo: 'What to do',
  howToReturn: 'How to return it',
  returnIntro: 'Fill in the form below to get a return reference (free postage), or take it back to any store, no receipt needed.',
  storeNoReceipt: 'Or take it back to any store, no receipt needed.',
  compensation: 'Compensation',
  compensations: { refund: 'Refund', voucher: 'Voucher', replacement: 'Replacement' },
  quantity: 'Quantity (packs)',
  name: 'Name (optional)',
  phone: 'Phone (optional)',
  email: 'Email (optional)',
  city: 'City (optional)',
  returnSubmit: 'Request a return',
  returnDone: (ref: string) => `Your return is registered. Your return reference: ${ref}. Please write it on the parcel.`,
  checkLot: (n: string) => `Some batches of this product are being recalled (${n}). This code does not say which batch: check the batch number printed on the pack, or scan the pack's QR code.`,
  unknownUnit: 'We have no production record of this code. If you bought this product, please contact us with the form below.',
  authenticity: 'Scan history',
  firstScan: "This is the first scan of this pack's code.",
  rescanned: (n: number, since: string) => `This code has been scanned ${n} times since ${since}.`,
  manyScans: (n: number, since: string, spread: boolean) => `This code has been scanned ${n} times since ${since}${spread ? ', from several different networks' : ''}. If the seal was broken when you bought it, please contact us.`,
  complaintHeading: 'Report a problem',
  complaintIntro: 'Something wrong with this product? Tell us and our quality team will follow up.',
  complaintText: 'What happened',
  photo: 'Photo (optional, JPEG/PNG/WebP, up to 5 MB)',
  complaintSubmit: 'Send',
  complaintDone: (ref: string) => `Thank you, we have received your report. Your reference: ${ref}.`,
  errors: {
    textRequired: 'Please describe the problem.',
    textTooLong: 'Please keep the description under 2,000 characters.',
    photoTooBig: 'The photo must be 5 MB or smaller.',
    photoType: 'Please upload a JPEG, PNG or WebP photo.',
    phone: 'Please enter a valid phone number.',
    email: 'Please enter a valid email address.',
    quantity: 'The quantity must be a whole number from 1 to 20.',
    compensation: 'Please choose a compensation.',
    notRecalled: 'This product is not under recall; nothing needs to be returned.',
    unknownCode: 'This code is not recognised.',
    failed: 'Sending failed; please try again later.',
  },
  fixErrors: 'Please correct the marked fields and send again.',
  unknownTitle: 'Product not found',
  unknownBody: "We don't recognise the product this code belongs to. Please check that you scanned the QR code on the pack.",
  tooManyTitle: 'Too many requests',
  tooManyBody: 'Please wait a minute and try again.',
};

/** The words of the page in `lang`. */
export function words(lang: ConsumerLang): Words {
  return lang === 'en' ? en : zh;
}

/** The error rules a form answer can carry; each has a message in both languages. */
export type FieldRule = keyof Words['errors'];
