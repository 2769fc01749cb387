/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies for the few core kinds kubectl's
 * generators send that way (`kubectl create namespace|configmap|secret|serviceaccount|role|rolebinding|...`, and the
 * access reviews of `kubectl auth can-i`). The envelope is
 * `k8s\0` + runtime.Unknown{typeMeta, raw}; `raw` is decoded with hand-written field tables (the field numbers of
 * k8s.io/api generated.proto). Other kinds answer 415, and every response is JSON.
 */
import { badRequest, unsupportedMediaType } from './errors.js';

type FieldType = 'string' | 'bytes' | 'int' | 'bool' | 'stringMap' | 'bytesMap' | Schema;
interface FieldSpec { name: string; type: FieldType; repeated?: boolean }
type Schema = Record<number, FieldSpec>;

const OWNER_REF: Schema = {
  1: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' }, 6: { name: 'controller', type: 'bool' }, 7: { name: 'blockOwnerDeletion', type: 'bool' },
};
const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' }, 2: { name: 'generateName', type: 'string' }, 3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' }, 6: { name: 'resourceVersion', type: 'string' }, 7: { name: 'generation', type: 'int' },
  11: { name: 'labels', type: 'stringMap' }, 12: { name: 'annotations', type: 'stringMap' },
  13: { name: 'ownerReferences', type: OWNER_REF, repeated: true }, 14: { name: 'finalizers', type: 'string', repeated: true },
};
const LOCAL_REF: Schema = { 1: { name: 'name', type: 'string' } };
const OBJECT_REF: Schema = {
  1: { name: 'kind', type: 'string' }, 2: { name: 'namespace', type: 'string' }, 3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' }, 5: { name: 'apiVersion', type: 'string' },
};

const SUBJECT: Schema = { 1: { name: 'kind', type: 'string' }, 2: { name: 'apiGroup', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'namespace', type: 'string' } };
const ROLE_REF: Schema = { 1: { name: 'apiGroup', type: 'string' }, 2: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' } };
const BINDING: Schema = { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'subjects', type: SUBJECT, repeated: true }, 3: { name: 'roleRef', type: ROLE_REF } };
const POLICY_RULE: Schema = {
  1: { name: 'verbs', type: 'string', repeated: true }, 2: { name: 'apiGroups', type: 'string', repeated: true }, 3: { name: 'resources', type: 'string', repeated: true },
  4: { name: 'resourceNames', type: 'string', repeated: true }, 5: { name: 'nonResourceURLs', type: 'string', repeated: true },
};
const LABEL_SELECTOR: Schema = {
  1: { name: 'matchLabels', type: 'stringMap' },
  2: { name: 'matchExpressions', type: { 1: { name: 'key', type: 'string' }, 2: { name: 'operator', type: 'string' }, 3: { name: 'values', type: 'string', repeated: true } }, repeated: true },
};
const RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'namespace', type: 'string' }, 2: { name: 'verb', type: 'string' }, 3: { name: 'group', type: 'string' }, 4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' }, 6: { name: 'subresource', type: 'string' }, 7: { name: 'name', type: 'string' },
};
const NON_RESOURCE_ATTRIBUTES: Schema = { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } };
const SUBJECT_REVIEW: Schema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'spec', type: { 1: { name: 'resourceAttributes', type: RESOURCE_ATTRIBUTES }, 2: { name: 'nonResourceAttributes', type: NON_RESOURCE_ATTRIBUTES }, 3: { name: 'user', type: 'string' }, 4: { name: 'groups', type: 'string', repeated: true }, 6: { name: 'uid', type: 'string' } } },
};

/** Field tables of the kinds accepted as protobuf, by `apiVersion/kind`. */
const KINDS: Record<string, Schema> = {
  'v1/Namespace': { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } } },
  'v1/ConfigMap': {
    1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'data', type: 'stringMap' }, 3: { name: 'binaryData', type: 'bytesMap' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'data', type: 'bytesMap' }, 3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'stringMap' }, 5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'secrets', type: OBJECT_REF, repeated: true },
    3: { name: 'imagePullSecrets', type: LOCAL_REF, repeated: true }, 4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  // kubectl create role|clusterrole|rolebinding|clusterrolebinding, kubectl auth can-i
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/Role': { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'rules', type: POLICY_RULE, repeated: true } },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'rules', type: POLICY_RULE, repeated: true },
    3: { name: 'aggregationRule', type: { 1: { name: 'clusterRoleSelectors', type: LABEL_SELECTOR, repeated: true } } },
  },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: { 1: { name: 'resourceAttributes', type: RESOURCE_ATTRIBUTES }, 2: { name: 'nonResourceAttributes', type: NON_RESOURCE_ATTRIBUTES } } },
  },
  'authorization.k8s.io/v1/SubjectAccessReview': SUBJECT_REVIEW,
  'authorization.k8s.io/v1/LocalSubjectAccessReview': SUBJECT_REVIEW,
};

/** A protobuf wire-format reader. */
class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw badRequest('truncated protobuf body');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }

  bytes(): Buffer {
    const n = this.varint();
    if (this.pos + n > this.buf.length) throw badRequest('truncated protobuf body');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw badRequest(`unsupported protobuf wire type ${wire}`);
  }
}

/** Reads a message into `{field number: raw values}`. */
function fields(buf: Buffer): Map<number, { wire: number; value: number | Buffer }[]> {
  const r = new Reader(buf);
  const out = new Map<number, { wire: number; value: number | Buffer }[]>();
  while (!r.done) {
    const tag = r.varint();
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: number | Buffer;
    if (wire === 0) value = r.varint();
    else if (wire === 2) value = r.bytes();
    else {
      r.skip(wire);
      continue;
    }
    const list = out.get(num) ?? [];
    list.push({ wire, value });
    out.set(num, list);
  }
  return out;
}

function mapEntry(buf: Buffer, bytesValue: boolean): [string, string] {
  const f = fields(buf);
  const k = f.get(1)?.[0]?.value;
  const v = f.get(2)?.[0]?.value;
  const key = Buffer.isBuffer(k) ? k.toString('utf8') : '';
  const val = Buffer.isBuffer(v) ? (bytesValue ? v.toString('base64') : v.toString('utf8')) : '';
  return [key, val];
}

function scalar(type: FieldType, value: number | Buffer): unknown {
  if (typeof type === 'object') return Buffer.isBuffer(value) ? decodeMessage(value, type) : {};
  if (type === 'int') return typeof value === 'number' ? value : 0;
  if (type === 'bool') return value === 1;
  if (!Buffer.isBuffer(value)) return undefined;
  return type === 'bytes' ? value.toString('base64') : value.toString('utf8');
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [num, values] of fields(buf)) {
    const spec = schema[num];
    if (!spec) continue;
    if (spec.type === 'stringMap' || spec.type === 'bytesMap') {
      const m: Record<string, string> = {};
      for (const v of values) if (Buffer.isBuffer(v.value)) {
        const [k, val] = mapEntry(v.value, spec.type === 'bytesMap');
        m[k] = val;
      }
      out[spec.name] = m;
    } else if (spec.repeated) out[spec.name] = values.map((v) => scalar(spec.type, v.value));
    else {
      const v = scalar(spec.type, (values[values.length - 1] as { value: number | Buffer }).value);
      if (v !== '' && v !== undefined) out[spec.name] = v; // proto2 writes empty optionals; JSON omits them
    }
  }
  return out;
}

/** Decodes a Kubernetes protobuf envelope into a JSON object; 415 for kinds it has no table for. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') throw badRequest('protobuf body without the k8s envelope');
  const unknown = fields(body.subarray(4));
  const typeMetaBuf = unknown.get(1)?.[0]?.value;
  const raw = unknown.get(2)?.[0]?.value;
  const typeMeta = Buffer.isBuffer(typeMetaBuf) ? decodeMessage(typeMetaBuf, { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } }) : {};
  const key = `${String(typeMeta.apiVersion ?? '')}/${String(typeMeta.kind ?? '')}`;
  const schema = KINDS[key];
  if (!schema || !Buffer.isBuffer(raw)) {
    throw unsupportedMediaType(`protobuf is not supported for ${key}; send application/json`);
  }
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decodeMessage(raw, schema) };
}
