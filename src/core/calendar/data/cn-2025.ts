/**
 * China's official holidays and make-up working days in 2025, from 国务院办公厅关于2025年部分节假日安排的通知
 * (国办发明电〔2024〕12号, issued 2024-11-12), the first year under the revised 《全国年节及纪念日放假办法》
 * (two more days off: 春节 and 劳动节 one each). Each line below is one line of the notice.
 */
import { type OfficialYear, holidayRange, makeUpWorkdays } from './official-year.ts';

export const CN_2025: OfficialYear = {
  year: 2025,
  source: {
    'zh-CN': '国务院办公厅关于2025年部分节假日安排的通知',
    en: 'General Office of the State Council: notice on the arrangement of some holidays in 2025',
    documentNumber: '国办发明电〔2024〕12号',
    issued: '2024-11-12',
  },
  entries: [
    // 一、元旦：1月1日（周三）放假1天，不调休。
    ...holidayRange('2025-01-01', '2025-01-01', '元旦 New Year'),
    // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
    ...holidayRange('2025-01-28', '2025-02-04', '春节 Spring Festival'),
    ...makeUpWorkdays(['2025-01-26', '2025-02-08'], '春节 Spring Festival'),
    // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
    ...holidayRange('2025-04-04', '2025-04-06', '清明节 Qingming Festival'),
    // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
    ...holidayRange('2025-05-01', '2025-05-05', '劳动节 Labour Day'),
    ...makeUpWorkdays(['2025-04-27'], '劳动节 Labour Day'),
    // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
    ...holidayRange('2025-05-31', '2025-06-02', '端午节 Dragon Boat Festival'),
    // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
    ...holidayRange('2025-10-01', '2025-10-08', '国庆节、中秋节 National Day and Mid-Autumn Festival'),
    ...makeUpWorkdays(['2025-09-28', '2025-10-11'], '国庆节、中秋节 National Day and Mid-Autumn Festival'),
  ],
};
