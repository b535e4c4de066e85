/** A small EPCISDocument of ObjectEvents with distinct serials. */
export function objectEventsDocument(serials: readonly number[], overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2025-09-05T08:00:00+08:00',
    epcisBody: {
      eventList: serials.map((s) => ({
        type: 'ObjectEvent',
        eventTime: '2025-09-05T08:00:00.000+08:00',
        eventTimeZoneOffset: '+08:00',
        epcList: [`urn:epc:id:sgtin:6901234.067890.${s}`],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: 'urn:epc:id:sgln:6901234.00001.0' },
        ...overrides,
      })),
    },
  });
}

