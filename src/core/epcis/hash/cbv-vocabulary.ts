/**
 * CBV 2.0 / GS1 Web Vocabulary terms that an EPCIS 2.0 JSON-LD document may write as bare strings,
 * and their full web URIs. The word lists are the validator's (read from the bundled ratified schema,
 * see ../cbv.ts); the Event Hash ID needs them because CBV 2.0 §8.9 hashes the full URI whatever the
 * notation. Only the GS1 Web Vocabulary namespace differs: the hash algorithm expands `gs1:` to
 * `https://gs1.org/voc/`, as the reference vectors require.
 */
import { CBV } from '../cbv.ts';

/** Namespace of CBV 2.0 web vocabulary terms. */
export const CBV_NAMESPACE = 'https://ref.gs1.org/cbv/';

/** Namespace of GS1 Web Vocabulary terms, as the Event Hash ID algorithm expands `gs1:` (CBV 2.0 §8.9). */
export const GS1_VOC_NAMESPACE = 'https://gs1.org/voc/';

/** Bare CBV 2.0 business steps (`bizStep`), expanded to `https://ref.gs1.org/cbv/BizStep-<term>`. */
export const BIZ_STEP_TERMS: readonly string[] = CBV.bizStep.words;

/** Bare dispositions, expanded to `https://ref.gs1.org/cbv/Disp-<term>`. */
export const DISPOSITION_TERMS: readonly string[] = CBV.disposition.words;

/** Bare business transaction types, expanded to `https://ref.gs1.org/cbv/BTT-<term>`. */
export const BIZ_TRANSACTION_TYPE_TERMS: readonly string[] = CBV.bizTransactionType.words;

/** Bare source/destination types, expanded to `https://ref.gs1.org/cbv/SDT-<term>`. */
export const SOURCE_DESTINATION_TYPE_TERMS: readonly string[] = CBV.sourceDestType.words;

/** Bare sensor components, expanded to `https://ref.gs1.org/cbv/Comp-<term>`. */
export const COMPONENT_TERMS: readonly string[] = CBV.component.words;

/** Bare measurement types, expanded into the GS1 Web Vocabulary. */
export const MEASUREMENT_TYPE_TERMS: readonly string[] = CBV.measurementType.words;

/** Bare sensor alert types, expanded into the GS1 Web Vocabulary. */
export const SENSOR_ALERT_TERMS: readonly string[] = CBV.sensorAlertType.words;

/** Bare term → URI for one vocabulary-valued field. */
export type TermExpansion = ReadonlyMap<string, string>;

const expansion = (terms: readonly string[], prefix: string): TermExpansion =>
  new Map(terms.map((t) => [t, prefix + t] as const));

/** Bare `bizStep` terms to URIs. */
export const BIZ_STEP_EXPANSION: TermExpansion = expansion(BIZ_STEP_TERMS, `${CBV_NAMESPACE}BizStep-`);

/** Bare `disposition` / `persistentDisposition` terms to URIs. */
export const DISPOSITION_EXPANSION: TermExpansion = expansion(DISPOSITION_TERMS, `${CBV_NAMESPACE}Disp-`);

/** Bare business transaction type terms to URIs. */
export const BIZ_TRANSACTION_TYPE_EXPANSION: TermExpansion = expansion(BIZ_TRANSACTION_TYPE_TERMS, `${CBV_NAMESPACE}BTT-`);

/** Bare source/destination type terms to URIs. */
export const SOURCE_DESTINATION_TYPE_EXPANSION: TermExpansion = expansion(
  SOURCE_DESTINATION_TYPE_TERMS,
  `${CBV_NAMESPACE}SDT-`,
);

/** Bare sensor component terms to URIs. */
export const COMPONENT_EXPANSION: TermExpansion = expansion(COMPONENT_TERMS, `${CBV_NAMESPACE}Comp-`);

/** Bare measurement type terms to URIs. */
export const MEASUREMENT_TYPE_EXPANSION: TermExpansion = expansion(MEASUREMENT_TYPE_TERMS, GS1_VOC_NAMESPACE);

/** Bare sensor alert terms to URIs. */
export const SENSOR_ALERT_EXPANSION: TermExpansion = expansion(SENSOR_ALERT_TERMS, GS1_VOC_NAMESPACE);
