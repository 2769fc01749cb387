/**
 * `meta.k8s.io/v1` Table output for `kubectl get`: Name first, then the registry's printer columns (CRD
 * semantics: Age when a kind declares none) or the core kind's columns.
 */
import type { KindInfo, PrinterColumn } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { jsonPath } from './jsonpath.js';
import { age, AGE, CORE_COLUMNS, type CoreColumn } from './table-core.js';

/** A Table column definition. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A Table (one page of a list, a single object, or one watch event). */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: { cells: unknown[]; object?: unknown }[];
}

const NAME_DESCRIPTION = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

function registryColumns(info: KindInfo): CoreColumn[] {
  const cols: PrinterColumn[] = info.printerColumns && info.printerColumns.length > 0
    ? info.printerColumns
    : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return cols.map((c) => ({ name: c.name, type: c.type, priority: c.priority ?? 0, cell: (o: KubeObject, now: Date) => columnCell(c, o, now) }));
}

function columnCell(c: PrinterColumn, o: KubeObject, now: Date): unknown {
  const values = jsonPath(c.jsonPath, o);
  if (values.length === 0 || values[0] === undefined || values[0] === null) return null;
  if (c.type === 'date') return age(values[0], now);
  if (values.length > 1) return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  const v = values[0];
  if (c.type === 'integer' || c.type === 'number') return typeof v === 'number' ? v : Number(v);
  if (c.type === 'boolean') return typeof v === 'boolean' ? v : String(v) === 'true';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The columns of a kind (without Name). */
export function columnsOf(info: KindInfo): CoreColumn[] {
  if (!info.crd && info.printerColumns === undefined) return CORE_COLUMNS[info.kind] ?? [AGE];
  return registryColumns(info);
}

/** How much of each object a row carries (`includeObject`). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** Renders objects as a Table. */
export function toTable(info: KindInfo, objs: KubeObject[], opts: { now: Date; include?: IncludeObject; metadata?: Table['metadata'] }): Table {
  const cols = columnsOf(info);
  const include = opts.include ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.metadata ?? {},
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
      ...cols.map((c) => ({ name: c.name, type: c.type === 'date' ? 'string' : c.type, format: '', description: c.name, priority: c.priority ?? 0 })),
    ],
    rows: objs.map((o) => {
      const object = rowObject(o, include);
      return { cells: [o.metadata.name ?? '', ...cols.map((c) => c.cell(o, opts.now))], ...(object ? { object } : {}) };
    }),
  };
}

/** Reads `includeObject` from the query. */
export function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
