/**
 * The master-data entities (products, locations, parties, equipment, operators), described once.
 * The HTTP schemas, row mapping, validation and CSV/XLSX import are all derived from these descriptions.
 */

/** How one field is typed and checked. */
export type FieldType =
  | { readonly kind: 'id' }
  | { readonly kind: 'text'; readonly max: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number }
  | { readonly kind: 'gtin' }
  | { readonly kind: 'gln' }
  | { readonly kind: 'email' }
  | { readonly kind: 'ref'; readonly entity: EntityKind }
  | { readonly kind: 'json' };

/** One field of an entity: its API name, its column, and its labels for people. */
export interface FieldSpec {
  readonly name: string;
  readonly column: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly labelZh: string;
  readonly labelEn: string;
}

export const entityKinds = ['products', 'locations', 'parties', 'equipment', 'operators'] as const;
export type EntityKind = (typeof entityKinds)[number];

/** An entity: its table, its key, its fields. */
export interface EntitySpec {
  readonly kind: EntityKind;
  readonly table: 'products' | 'locations' | 'parties' | 'equipment' | 'operators';
  /** API name of the identifier field, e.g. `productId`. */
  readonly idField: string;
  readonly idColumn: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly fields: readonly FieldSpec[];
}

export const locationTypes = ['supplier', 'plant', 'line', 'warehouse', 'cold_room', 'vehicle', 'store', 'qc_centre'] as const;
export const partyKinds = ['supplier', 'store', 'carrier', 'distributor', 'manufacturer', 'customer', 'regulator'] as const;

const id = (name: string, column: string, zh: string, en: string): FieldSpec => ({ name, column, type: { kind: 'id' }, required: true, labelZh: zh, labelEn: en });
const text = (name: string, column: string, zh: string, en: string, required = false, max = 200): FieldSpec => ({
  name, column, type: { kind: 'text', max }, required, labelZh: zh, labelEn: en,
});
const ref = (name: string, column: string, entity: EntityKind, zh: string, en: string): FieldSpec => ({
  name, column, type: { kind: 'ref', entity }, required: false, labelZh: zh, labelEn: en,
});
const attributes: FieldSpec = { name: 'attributes', column: 'attributes', type: { kind: 'json' }, required: false, labelZh: '扩展属性', labelEn: 'Attributes' };
const names = [text('nameZh', 'name_zh', '名称(中文)', 'Name (Chinese)', true), text('nameEn', 'name_en', '名称(英文)', 'Name (English)', true)];
const place = [text('city', 'city', '城市', 'City'), text('region', 'region', '区域/省份', 'Region'), text('country', 'country', '国家', 'Country', false, 2)];

export const entities: Readonly<Record<EntityKind, EntitySpec>> = {
  products: {
    kind: 'products', table: 'products', idField: 'productId', idColumn: 'product_id', labelZh: '产品', labelEn: 'Products',
    fields: [
      id('productId', 'product_id', '产品编号', 'Product ID'),
      { name: 'gtin', column: 'gtin', type: { kind: 'gtin' }, required: false, labelZh: 'GTIN', labelEn: 'GTIN' },
      ...names,
      { name: 'shelfLifeHours', column: 'shelf_life_hours', type: { kind: 'int', min: 1, max: 24 * 3660 }, required: true, labelZh: '保质期(小时)', labelEn: 'Shelf life (hours)' },
      { name: 'granularity', column: 'granularity', type: { kind: 'enum', values: ['batch', 'unit'] }, required: true, labelZh: '追溯粒度', labelEn: 'Trace granularity' },
      text('productLine', 'product_line', '产品线代码', 'Product line code', false, 20),
      text('brand', 'brand', '品牌', 'Brand'),
      attributes,
    ],
  },
  locations: {
    kind: 'locations', table: 'locations', idField: 'locationId', idColumn: 'location_id', labelZh: '地点', labelEn: 'Locations',
    fields: [
      id('locationId', 'location_id', '地点编号', 'Location ID'),
      { name: 'type', column: 'type', type: { kind: 'enum', values: locationTypes }, required: true, labelZh: '类型', labelEn: 'Type' },
      ...names,
      { name: 'gln', column: 'gln', type: { kind: 'gln' }, required: false, labelZh: 'GLN', labelEn: 'GLN' },
      text('glnExtension', 'gln_extension', 'GLN扩展', 'GLN extension', false, 20),
      ref('parentId', 'parent_id', 'locations', '上级地点', 'Parent location'),
      ref('partyId', 'party_id', 'parties', '所属主体', 'Party'),
      ...place,
      text('address', 'address', '地址', 'Address', false, 500),
      { name: 'latitude', column: 'latitude', type: { kind: 'number', min: -90, max: 90 }, required: false, labelZh: '纬度', labelEn: 'Latitude' },
      { name: 'longitude', column: 'longitude', type: { kind: 'number', min: -180, max: 180 }, required: false, labelZh: '经度', labelEn: 'Longitude' },
      attributes,
    ],
  },
  parties: {
    kind: 'parties', table: 'parties', idField: 'partyId', idColumn: 'party_id', labelZh: '合作方', labelEn: 'Parties',
    fields: [
      id('partyId', 'party_id', '合作方编号', 'Party ID'),
      { name: 'kind', column: 'kind', type: { kind: 'enum', values: partyKinds }, required: true, labelZh: '类别', labelEn: 'Kind' },
      ...names,
      { name: 'gln', column: 'gln', type: { kind: 'gln' }, required: false, labelZh: 'GLN', labelEn: 'GLN' },
      text('contact', 'contact', '联系人', 'Contact'),
      { name: 'email', column: 'email', type: { kind: 'email' }, required: false, labelZh: '邮箱', labelEn: 'Email' },
      text('phone', 'phone', '电话', 'Phone', false, 40),
      ...place,
      attributes,
    ],
  },
  equipment: {
    kind: 'equipment', table: 'equipment', idField: 'equipmentId', idColumn: 'equipment_id', labelZh: '设备', labelEn: 'Equipment',
    fields: [
      id('equipmentId', 'equipment_id', '设备编号', 'Equipment ID'),
      text('kind', 'kind', '设备类型', 'Kind', true, 60),
      ...names,
      ref('locationId', 'location_id', 'locations', '所在地点', 'Location'),
      text('model', 'model', '型号', 'Model'),
      text('serialNo', 'serial_no', '序列号', 'Serial number', false, 80),
      attributes,
    ],
  },
  operators: {
    kind: 'operators', table: 'operators', idField: 'operatorId', idColumn: 'operator_id', labelZh: '操作员', labelEn: 'Operators',
    fields: [
      id('operatorId', 'operator_id', '操作员编号', 'Operator ID'),
      text('name', 'name', '姓名', 'Name', true, 100),
      text('title', 'title', '岗位', 'Title', false, 100),
      ref('locationId', 'location_id', 'locations', '所在地点', 'Location'),
      attributes,
    ],
  },
};

/** Whether `value` names a master-data entity. */
export function isEntityKind(value: string): value is EntityKind {
  return (entityKinds as readonly string[]).includes(value);
}
