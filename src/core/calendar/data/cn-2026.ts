/**
 * China's official holidays and make-up working days in 2026, from 国务院办公厅关于2026年部分节假日安排的通知
 * (issued 2025-11-04, published by Xinhua the same day). Each line below is one line of the notice.
 */
import { type OfficialYear, holidayRange, makeUpWorkdays } from './official-year.ts';

export const CN_2026: OfficialYear = {
  year: 2026,
  source: {
    'zh-CN': '国务院办公厅关于2026年部分节假日安排的通知',
    en: 'General Office of the State Council: notice on the arrangement of some holidays in 2026',
    documentNumber: null,
    issued: '2025-11-04',
  },
  entries: [
    // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    ...holidayRange('2026-01-01', '2026-01-03', '元旦 New Year'),
    ...makeUpWorkdays(['2026-01-04'], '元旦 New Year'),
    // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
    ...holidayRange('2026-02-15', '2026-02-23', '春节 Spring Festival'),
    ...makeUpWorkdays(['2026-02-14', '2026-02-28'], '春节 Spring Festival'),
    // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
    ...holidayRange('2026-04-04', '2026-04-06', '清明节 Qingming Festival'),
    // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
    ...holidayRange('2026-05-01', '2026-05-05', '劳动节 Labour Day'),
    ...makeUpWorkdays(['2026-05-09'], '劳动节 Labour Day'),
    // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
    ...holidayRange('2026-06-19', '2026-06-21', '端午节 Dragon Boat Festival'),
    // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
    ...holidayRange('2026-09-25', '2026-09-27', '中秋节 Mid-Autumn Festival'),
    // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
    ...holidayRange('2026-10-01', '2026-10-07', '国庆节 National Day'),
    ...makeUpWorkdays(['2026-09-20', '2026-10-10'], '国庆节 National Day'),
  ],
};
