/**
 * CBV 2.0 / GS1 Web Vocabulary terms that an EPCIS 2.0 JSON-LD document may write as bare strings,
 * and their full web URIs. The term lists are those of the standard EPCIS 2.0 JSON-LD context
 * (identical in the 2.0.0, 2.0.1 and development contexts); the Event Hash ID needs them because
 * CBV 2.0 §8.9 hashes the full URI whatever the notation.
 */

/** Namespace of CBV 2.0 web vocabulary terms. */
export const CBV_NAMESPACE = 'https://ref.gs1.org/cbv/';

/** Namespace of GS1 Web Vocabulary terms, as the Event Hash ID algorithm expands `gs1:` (CBV 2.0 §8.9). */
export const GS1_VOC_NAMESPACE = 'https://gs1.org/voc/';

/** Bare CBV 2.0 business steps (`bizStep`), expanded to `https://ref.gs1.org/cbv/BizStep-<term>`. */
export const BIZ_STEP_TERMS: readonly string[] = [
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'sampling',
  'sensor_reporting',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
];

/** Bare CBV 2.0 dispositions (`disposition`, `persistentDisposition`), expanded to `https://ref.gs1.org/cbv/Disp-<term>`. */
export const DISPOSITION_TERMS: readonly string[] = [
  'active',
  'available',
  'completeness_verified',
  'completeness_inferred',
  'conformant',
  'container_closed',
  'container_open',
  'damaged',
  'destroyed',
  'dispensed',
  'disposed',
  'encoded',
  'expired',
  'in_progress',
  'in_transit',
  'inactive',
  'mismatch_instance',
  'mismatch_class',
  'mismatch_quantity',
  'needs_replacement',
  'no_pedigree_match',
  'non_conformant',
  'non_sellable_other',
  'partially_dispensed',
  'recalled',
  'reserved',
  'retail_sold',
  'returned',
  'sellable_accessible',
  'sellable_not_accessible',
  'stolen',
  'unavailable',
  'unknown',
];

/** Bare CBV 2.0 business transaction types, expanded to `https://ref.gs1.org/cbv/BTT-<term>`. */
export const BIZ_TRANSACTION_TYPE_TERMS: readonly string[] = [
  'bol',
  'cert',
  'desadv',
  'inv',
  'pedigree',
  'po',
  'poc',
  'prodorder',
  'recadv',
  'rma',
  'testprd',
  'testres',
  'upevt',
];

/** Bare CBV 2.0 source/destination types, expanded to `https://ref.gs1.org/cbv/SDT-<term>`. */
export const SOURCE_DESTINATION_TYPE_TERMS: readonly string[] = [
  'owning_party',
  'possessing_party',
  'location',
];

/** Bare CBV 2.0 sensor components, expanded to `https://ref.gs1.org/cbv/Comp-<term>`. */
export const COMPONENT_TERMS: readonly string[] = [
  'x',
  'y',
  'z',
  'axial_distance',
  'azimuth',
  'height',
  'spherical_radius',
  'polar_angle',
  'elevation_angle',
  'easting',
  'northing',
  'latitude',
  'longitude',
  'altitude',
];

/** Bare GS1 measurement types (`sensorReport.type`), expanded to `https://gs1.org/voc/<term>`. */
export const MEASUREMENT_TYPE_TERMS: readonly string[] = [
  'AbsoluteHumidity',
  'AbsorbedDose',
  'AbsorbedDoseRate',
  'Acceleration',
  'Radioactivity',
  'Altitude',
  'AmountOfSubstance',
  'AmountOfSubstancePerUnitVolume',
  'Angle',
  'AngularAcceleration',
  'AngularMomentum',
  'AngularVelocity',
  'Area',
  'Capacitance',
  'Conductance',
  'Conductivity',
  'Count',
  'Density',
  'Dimensionless',
  'DoseEquivalent',
  'DoseEquivalentRate',
  'DynamicViscosity',
  'ElectricCharge',
  'ElectricCurrent',
  'ElectricCurrentDensity',
  'ElectricFieldStrength',
  'Energy',
  'Exposure',
  'Force',
  'Frequency',
  'Illuminance',
  'Inductance',
  'Irradiance',
  'KinematicViscosity',
  'Length',
  'LinearMomentum',
  'Luminance',
  'LuminousFlux',
  'LuminousIntensity',
  'MagneticFlux',
  'MagneticFluxDensity',
  'MagneticVectorPotential',
  'Mass',
  'MassConcentration',
  'MassFlowRate',
  'MassPerAreaTime',
  'MemoryCapacity',
  'MolalityOfSolute',
  'MolarEnergy',
  'MolarMass',
  'MolarVolume',
  'Power',
  'Pressure',
  'RadiantFlux',
  'RadiantIntensity',
  'RelativeHumidity',
  'Resistance',
  'Resistivity',
  'SolidAngle',
  'SpecificVolume',
  'Speed',
  'SurfaceDensity',
  'SurfaceTension',
  'Temperature',
  'Time',
  'Torque',
  'Voltage',
  'Volume',
  'VolumeFlowRate',
  'VolumeFraction',
  'VolumetricFlux',
  'Wavenumber',
];

/** Bare GS1 sensor alert types (`sensorReport.exception`), expanded to `https://gs1.org/voc/<term>`. */
export const SENSOR_ALERT_TERMS: readonly string[] = [
  'ALARM_CONDITION',
  'ERROR_CONDITION',
];

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
