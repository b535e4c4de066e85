import { describe, expect, it } from 'vitest';
import { describePlace, englishName } from './place-description.ts';

describe('describePlace', () => {
  it('lists business, location, address, city, region, country and phone, without repeats or blanks', () => {
    expect(describePlace({ business: 'Yuehuafang Foods', name: 'Shanghai plant', address: '88 Jinhai Rd', city: 'Shanghai', region: 'Shanghai', country: 'CN', phone: '+86 21 5555 0100' })).toBe(
      'Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN, Tel. +86 21 5555 0100',
    );
    expect(describePlace({ business: null, name: 'Jing-an store', address: ' ', city: null, region: null, country: null, phone: null })).toBe('Jing-an store');
    expect(describePlace({ business: null, name: null, address: null, city: null, region: null, country: null, phone: null })).toBeNull();
  });

  it('prefers English names', () => {
    expect(englishName('Star Mooncake', '星辰月饼')).toBe('Star Mooncake');
    expect(englishName('', '星辰月饼')).toBe('星辰月饼');
    expect(englishName(null, undefined)).toBeNull();
  });
});
