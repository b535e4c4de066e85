const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The events of an EPCIS document in document order: `epcisBody.eventList`, a single
 * `epcisBody.event`, or a query document's `epcisBody.queryResults.resultsBody.eventList`.
 * Members of the list that are not objects are skipped.
 */
export function epcisDocumentEvents(document: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>[] {
  const body = document.epcisBody;
  if (!isRecord(body)) return [];
  let list: unknown = body.eventList;
  if (list === undefined && body.event !== undefined) list = [body.event];
  if (list === undefined && isRecord(body.queryResults) && isRecord(body.queryResults.resultsBody)) {
    list = body.queryResults.resultsBody.eventList;
  }
  return Array.isArray(list) ? list.filter(isRecord) : [];
}
