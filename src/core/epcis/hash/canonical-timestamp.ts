/**
 * A timestamp as the Event Hash ID writes it (CBV 2.0 §8.9 rules 8 and 9): UTC, `Z`, exactly three
 * fractional digits, the third rounded up when the fourth is 5–9. Text that is not an ISO 8601 /
 * xsd:dateTime timestamp is returned unchanged, as the reference implementation does. A timestamp
 * without an offset is taken as UTC (the reference would use the host's local zone).
 *
 * @example canonicalTimestamp('2023-01-18T12:04:03.1415+01:00') // '2023-01-18T11:04:03.142Z'
 */
export function canonicalTimestamp(text: string): string {
  const s = text;
  let i = 0;
  const num = (len: number): number => {
    let v = 0;
    for (let k = 0; k < len; k++) {
      const c = s.charCodeAt(i + k);
      if (c < 48 || c > 57) return -1;
      v = v * 10 + (c - 48);
    }
    i += len;
    return v;
  };
  const expect = (ch: number): boolean => {
    if (s.charCodeAt(i) !== ch) return false;
    i++;
    return true;
  };

  const year = num(4);
  if (year < 1 || !expect(45)) return text; // '-'
  const month = num(2);
  if (month < 1 || month > 12 || !expect(45)) return text;
  const day = num(2);
  if (day < 1 || day > daysInMonth(year, month)) return text;
  const t = s.charCodeAt(i);
  if (t !== 84 && t !== 116 && t !== 32) return text; // 'T', 't' or space
  i++;
  const hour = num(2);
  if (hour < 0 || hour > 23 || !expect(58)) return text; // ':'
  const minute = num(2);
  if (minute < 0 || minute > 59) return text;
  let second = 0;
  let millis = 0;
  if (expect(58)) {
    second = num(2);
    if (second < 0 || second > 59) return text;
    if (expect(46)) {
      // fraction: first three digits, rounding on the fourth
      const start = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      const frac = s.slice(start, i);
      if (frac.length === 0) return text;
      millis = Number((frac + '00').slice(0, 3));
      if (frac.length > 3 && frac.charCodeAt(3) >= 53) millis += 1;
    }
  }
  let offsetMinutes = 0;
  if (i < s.length) {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) i++; // 'Z' / 'z'
    else if (z === 43 || z === 45) {
      i++;
      const oh = num(2);
      if (oh < 0 || oh > 23) return text;
      if (s.charCodeAt(i) === 58) i++;
      const om = i < s.length ? num(2) : 0;
      if (om < 0 || om > 59) return text;
      offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else return text;
    if (i !== s.length) return text;
  }

  let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  if (year < 100) {
    // Date.UTC maps years 0–99 to 1900–1999
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, minute, second, millis);
    ms = d.getTime() - offsetMinutes * 60_000;
  }
  const out = new Date(ms);
  const y = out.getUTCFullYear();
  if (y < 1 || y > 9999) return text;
  return out.toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
