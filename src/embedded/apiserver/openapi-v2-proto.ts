/**
 * `/openapi/v2` in the protobuf encoding kubectl asks for first (`application/com.github.proto-openapi.spec.v2@v1.0
 * +protobuf`): the Swagger 2.0 document of openapi.ts written as gnostic's `openapi.v2.Document` message (field
 * numbers from gnostic's OpenAPIv2.proto). Covers what that document uses: info, paths with operations, body, query
 * and path parameters, responses, definitions with their schemas; vendor extensions (`x-…`), defaults, enums and
 * examples are `Any` messages carrying YAML, as gnostic writes them. Keys Swagger 2.0 has no field for are dropped,
 * as gnostic drops them. Pure.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { stringify } from 'yaml';

/** The media types a client may ask for: kubectl sends the first (the old spelling, with `@`). */
export const OPENAPI_V2_PROTOBUF_ACCEPT = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
/** The Content-Type of the answer: the spelling Go's mime.ParseMediaType accepts (client-go parses it; `@` fails). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function str(w: BinaryWriter, field: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.tag(field, WireType.LengthDelimited).string(v);
}
function strs(w: BinaryWriter, field: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.tag(field, WireType.LengthDelimited).string(s);
}
function bool(w: BinaryWriter, field: number, v: unknown): void {
  if (v === true) w.tag(field, WireType.Varint).bool(true);
}
function int(w: BinaryWriter, field: number, v: unknown): void {
  if (typeof v === 'number' && Number.isInteger(v)) w.tag(field, WireType.Varint).int64(v);
}
function dbl(w: BinaryWriter, field: number, v: unknown): void {
  if (typeof v === 'number') w.tag(field, WireType.Bit64).double(v);
}
function msg(w: BinaryWriter, field: number, body: (w: BinaryWriter) => void): void {
  w.tag(field, WireType.LengthDelimited).fork();
  body(w);
  w.join();
}

/** gnostic's `Any`: the value as YAML (field 2). */
function any(w: BinaryWriter, field: number, v: unknown): void {
  if (v !== undefined) msg(w, field, (a) => str(a, 2, stringify(v)));
}

/** `NamedAny` entries for the `x-…` keys of `o`. */
function extensions(w: BinaryWriter, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-')) msg(w, field, (n) => { str(n, 1, k); any(n, 2, v); });
  }
}

function schema(w: BinaryWriter, s: Json): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  any(w, 5, s.default);
  dbl(w, 6, s.multipleOf);
  dbl(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  dbl(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int(w, 11, s.maxLength);
  int(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int(w, 14, s.maxItems);
  int(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int(w, 17, s.maxProperties);
  int(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  const ap = s.additionalProperties;
  if (isObj(ap)) msg(w, 21, (a) => msg(a, 1, (x) => schema(x, ap)));
  else if (typeof ap === 'boolean') msg(w, 21, (a) => a.tag(2, WireType.Varint).bool(ap));
  if (s.type !== undefined) msg(w, 22, (t) => strs(t, 1, Array.isArray(s.type) ? s.type : [s.type]));
  const items = s.items;
  if (items !== undefined) msg(w, 23, (i) => { for (const x of Array.isArray(items) ? items : [items]) if (isObj(x)) msg(i, 1, (y) => schema(y, x)); });
  if (Array.isArray(s.allOf)) for (const x of s.allOf) if (isObj(x)) msg(w, 24, (y) => schema(y, x));
  if (isObj(s.properties)) msg(w, 25, (p) => named(p, 1, s.properties as Json, schema));
  str(w, 26, s.discriminator);
  bool(w, 27, s.readOnly);
  any(w, 30, s.example);
  extensions(w, 31, s);
}

/** Ordered (name, value) pairs of a map: `Named…` messages with the name in field 1 and the value in field 2. */
function named(w: BinaryWriter, field: number, map: Json, value: (w: BinaryWriter, v: Json) => void): void {
  for (const [k, v] of Object.entries(map)) {
    if (isObj(v)) msg(w, field, (n) => { str(n, 1, k); msg(n, 2, (x) => value(x, v)); });
  }
}

/** A query, path or header parameter: the fields these sub-schemas share, at their own numbers. */
function nonBody(w: BinaryWriter, p: Json): void {
  const where = { header: 1, formData: 2, query: 3, path: 4 }[String(p.in)] ?? 3;
  const hasAllowEmpty = where === 2 || where === 3; // formData and query have allow_empty_value at 5, shifting the rest
  const o = hasAllowEmpty ? 1 : 0;
  msg(w, where, (x) => {
    bool(x, 1, p.required);
    str(x, 2, p.in);
    str(x, 3, p.description);
    str(x, 4, p.name);
    if (hasAllowEmpty) bool(x, 5, p.allowEmptyValue);
    str(x, 5 + o, p.type);
    str(x, 6 + o, p.format);
    bool(x, 19 + o, p.uniqueItems);
    extensions(x, 22 + o, p);
  });
}

function parameter(w: BinaryWriter, p: Json): void {
  if (typeof p.$ref === 'string') { msg(w, 2, (r) => str(r, 1, p.$ref)); return; }
  msg(w, 1, (x) => {
    if (p.in === 'body') {
      msg(x, 1, (b) => {
        str(b, 1, p.description); str(b, 2, p.name); str(b, 3, p.in); bool(b, 4, p.required);
        if (isObj(p.schema)) msg(b, 5, (s) => schema(s, p.schema as Json));
        extensions(b, 6, p);
      });
    } else {
      msg(x, 2, (n) => nonBody(n, p));
    }
  });
}

function operation(w: BinaryWriter, op: Json): void {
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObj(p)) msg(w, 8, (x) => parameter(x, p));
  if (isObj(op.responses)) {
    msg(w, 9, (r) => named(r, 1, op.responses as Json, (v, resp) => msg(v, 1, (x) => {
      str(x, 1, resp.description);
      if (isObj(resp.schema)) msg(x, 2, (si) => msg(si, 1, (s) => schema(s, resp.schema as Json)));
      extensions(x, 5, resp);
    })));
  }
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  extensions(w, 13, op);
}

const METHODS: Array<[string, number]> = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

function pathItem(w: BinaryWriter, item: Json): void {
  str(w, 1, item.$ref);
  for (const [m, field] of METHODS) if (isObj(item[m])) msg(w, field, (o) => operation(o, item[m] as Json));
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObj(p)) msg(w, 9, (x) => parameter(x, p));
  extensions(w, 10, item);
}

/** The Swagger 2.0 document `doc` as a gnostic `openapi.v2.Document`. */
export function encodeOpenapiV2(doc: Json): Uint8Array {
  const w = new BinaryWriter();
  str(w, 1, doc.swagger);
  if (isObj(doc.info)) msg(w, 2, (i) => { str(i, 1, (doc.info as Json).title); str(i, 2, (doc.info as Json).version); });
  str(w, 4, doc.basePath);
  if (isObj(doc.paths)) {
    const paths = doc.paths;
    msg(w, 8, (p) => { extensions(p, 1, paths); named(p, 2, Object.fromEntries(Object.entries(paths).filter(([k]) => !k.startsWith('x-'))), pathItem); });
  }
  if (isObj(doc.definitions)) msg(w, 9, (d) => named(d, 1, doc.definitions as Json, schema));
  extensions(w, 16, doc);
  return w.finish();
}
