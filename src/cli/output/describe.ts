/**
 * Building blocks of the `describe` outputs: a tab-separated document assembled section by section, then
 * aligned once (see table.ts). Sections are omitted when empty, as in tkn.
 */
import type { ParamValue, WorkspaceBinding } from '../../api/types.js';
import { alignTabs } from './table.js';
import { bullet, heading, label, type Theme } from './theme.js';

/** Accumulates lines of a describe document; `render()` aligns columns. */
export class DescribeDoc {
  private readonly lines: string[] = [];
  readonly theme: Theme;

  constructor(theme: Theme) {
    this.theme = theme;
  }

  /** `Name:\tvalue` (skipped when the value is empty or undefined). */
  field(name: string, value: string | undefined): this {
    if (value !== undefined && value !== '') this.lines.push(`${label(this.theme, name)}:\t${value}`);
    return this;
  }

  /** `Labels:` followed by ` k=v` lines sorted by key (skipped when empty). */
  map(name: string, values: Record<string, string> | undefined): this {
    const keys = Object.keys(values ?? {}).sort();
    if (keys.length === 0) return this;
    this.lines.push(`${label(this.theme, name)}:`);
    for (const k of keys) this.lines.push(` ${k}=${values?.[k] ?? ''}`);
    return this;
  }

  /** A section: blank line, title, blank line, then its lines. */
  section(title: string, body: string[]): this {
    this.lines.push('', heading(this.theme, title), '', ...body);
    return this;
  }

  /** A table section: ` HEADER\t...` then one ` ∙ cell\t...` row per entry (skipped when there are no rows). */
  tableSection(title: string, header: string[], rows: string[][]): this {
    if (rows.length === 0) return this;
    const body = [` ${header.join('\t')}`, ...rows.map(([first, ...rest]) => ` ${[bullet(this.theme, first ?? ''), ...rest].join('\t')}`)];
    return this.section(title, body);
  }

  /** Raw lines (already tab-separated). */
  raw(...lines: string[]): this {
    this.lines.push(...lines);
    return this;
  }

  /** The aligned document, ending in a newline. */
  render(): string {
    return alignTabs(this.lines.join('\n') + '\n');
  }
}

/** A param or result value as tkn prints it: `x`, `[a b]`, `map[k:v]`. */
export function formatValue(value: ParamValue | undefined): string {
  if (value === undefined) return '---';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.join(' ')}]`;
  const keys = Object.keys(value).sort();
  return `map[${keys.map((k) => `${k}:${value[k]}`).join(' ')}]`;
}

/** The WORKSPACE BINDING cell: `EmptyDir (emptyDir=)`, `ConfigMap (config=bar)`, `Secret (secret=s)`, … */
export function formatWorkspaceBinding(ws: WorkspaceBinding): string {
  if (ws.emptyDir) return `EmptyDir (emptyDir=${String(ws.emptyDir.medium ?? '')})`;
  if (ws.configMap) return `ConfigMap (config=${String(ws.configMap.name ?? '')})`;
  if (ws.secret) return `Secret (secret=${String(ws.secret.secretName ?? '')})`;
  if (ws.persistentVolumeClaim) return `PersistentVolumeClaim (claimName=${ws.persistentVolumeClaim.claimName})`;
  if (ws.volumeClaimTemplate) return 'VolumeClaimTemplate';
  if (ws.projected) return 'Projected';
  if (ws.csi) return `CSI (driver=${String(ws.csi.driver ?? '')})`;
  return '---';
}

/** Rows of a Workspaces table: NAME, SUB PATH, WORKSPACE BINDING. */
export function workspaceRows(workspaces: WorkspaceBinding[] | undefined): string[][] {
  return (workspaces ?? []).map((w) => [w.name, w.subPath || '---', formatWorkspaceBinding(w)]);
}

/** Annotations without kubectl's last-applied-configuration (as tkn). */
export function visibleAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) if (k !== 'kubectl.kubernetes.io/last-applied-configuration') out[k] = v;
  return out;
}
