/**
 * One row per CEL function and macro that Tekton Triggers' CEL docs (docs/cel_expressions.md) and cel-go's
 * extension docs (ext/README.md: strings, encoders, sets, math, lists, as Triggers enables them) name, plus the
 * standard macros and functions; expected values are what cel-go answers. docs/triggers.md's CEL table is this
 * table, row for row (checked below).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCel, fromCel, withCelScope } from './cel-env.js';

const CTX = {
  body: {
    list: [], items: ['b', 'a', 'c'], n: 2, doc: '{"k":[1,2]}', yaml: 'k: v\nl: [1, 2]', b64: 'aGVsbG8=',
    people: [{ name: 'bo', age: 40 }, { name: 'al', age: 30 }], labels: [{ name: 'test-a' }, { name: 'test-b' }],
  },
  header: { 'X-Github-Event': ['push'], 'Content-Type': ['application/json', 'x'] },
  extensions: { changed_files: 'src/a.go,docs/b.md' },
  requestURL: 'https://el.example:8443/hook/path?repo=a&repo=b&x=1#frag',
};

async function evaluate(expr: string): Promise<unknown> {
  const scope = { steps: 0, maxSteps: 100_000, secret: (name: string, key: string, ns?: string) =>
    (name === 's' && key === 'token' && (ns ?? 'default') === 'default' ? Promise.resolve(Buffer.from('1234567')) : Promise.reject(new Error(`secret ${ns ?? 'default'}/${name} not found`))) };
  return fromCel(await withCelScope(scope, () => compileCel(expr)(CTX)));
}

/** [function or macro, expression, expected JSON value]. */
const TABLE: Array<[string, string, unknown]> = [
  // Triggers' CEL interceptor variables and functions (docs/cel_expressions.md)
  ['body', 'body.n', 2],
  ['header', "header['X-Github-Event'][0]", 'push'],
  ['extensions', 'extensions.changed_files', 'src/a.go,docs/b.md'],
  ['requestURL', 'requestURL', 'https://el.example:8443/hook/path?repo=a&repo=b&x=1#frag'],
  ['header.match', "header.match('x-github-event', 'push')", true],
  ['header.match (first value only)', "header.match('content-type', 'x')", false],
  ['header.canonical', "header.canonical('CONTENT-TYPE')", 'application/json'],
  ['truncate', "'28911bbb5a3e'.truncate(7)", '28911bb'],
  ['truncate (beyond length)', "'abc'.truncate(10)", 'abc'],
  ['split', "'refs/heads/main'.split('/')", ['refs', 'heads', 'main']],
  ['join (Triggers\' doc example)', "['body', 'refs', 'main'].join('/')", 'body/refs/main'],
  ['parseJSON', 'body.doc.parseJSON().k[1]', 2],
  ['parseJSON (Triggers\' doc example)', `'{"testing":"value"}'.parseJSON().testing == "value"`, true],
  ['parseYAML', 'body.yaml.parseYAML().l', [1, 2]],
  ['parseYAML (Triggers\' doc example)', "'key1: value1\\nkey2: value2\\n'.parseYAML().key1", 'value1'],
  ['parseURL', 'requestURL.parseURL()', { scheme: 'https', host: 'el.example:8443', path: '/hook/path', rawQuery: 'repo=a&repo=b&x=1', fragment: 'frag', query: { repo: 'a,b', x: '1' }, queryStrings: { repo: ['a', 'b'], x: ['1'] }, auth: { username: '', password: '' } }],
  ['parseURL (Triggers\' doc example)', "'https://user:pass@example.com/test/path?s=testing#first'.parseURL()", { scheme: 'https', host: 'example.com', path: '/test/path', rawQuery: 's=testing', fragment: 'first', query: { s: 'testing' }, queryStrings: { s: ['testing'] }, auth: { username: 'user', password: 'pass' } }],
  ['parseURL query (Triggers\' doc example)', "'https://example.com/test?query=testing'.parseURL().query['query']", 'testing'],
  ['compareSecret', "'1234567'.compareSecret('token', 's')", true],
  ['compareSecret (namespace)', "'nope'.compareSecret('token', 's', 'default')", false],
  ['marshalJSON (map)', "{'a': [1, 'x']}.marshalJSON()", '{"a":[1,"x"]}'],
  ['marshalJSON (list)', 'body.items.marshalJSON()', '["b","a","c"]'],
  ['marshalJSON (Triggers\' doc example)', '{"testing":"value"}.marshalJSON()', '{"testing":"value"}'],
  ['decodeb64 (deprecated)', 'body.b64.decodeb64()', 'hello'],
  ['translate', "'Hello-World'.translate('[A-Z]', 'x')", 'xello-xorld'],
  ['translate (groups)', "'v1.2'.translate('v(\\\\d+)\\\\.(\\\\d+)', '${2}.${1}')", '2.1'],
  ['translate (Triggers\' doc example; its trailing space is replaced too)', '"This is $an Invalid5String ".translate("[^a-z0-9]+", "ABC")', 'ABChisABCisABCanABCnvalid5ABCtringABC'],
  ['first', 'body.items.first()', 'b'],
  ['first (Triggers\' doc example)', '[1, 2, 3, 4, 5].first()', 1],
  ['first (empty → null)', 'body.list.first()', null],
  ['last', 'body.items.last()', 'c'],
  ['last (empty → null)', 'body.list.last()', null],
  ['numbers: JSON numbers are doubles', 'body.n + 1.0', 3],
  ['numbers: int() conversion', 'int(body.n) + 2', 4],
  ['exists (Triggers\' doc example)', "body.labels.exists(x, x.name == 'test-b')", true],
  ['exists_one (Triggers\' doc example)', "body.labels.exists_one(x, x.name.startsWith('test-'))", false],
  ['all (Triggers\' doc example)', "body.labels.all(x, x.name.startsWith('test-'))", true],
  ['map (Triggers\' doc example)', "body.labels.map(x, x.name.substring(x.name.lastIndexOf('-')+1))", ['a', 'b']],
  ['filter (Triggers\' doc example)', "body.labels.filter(x, x.name.endsWith('-b'))", [{ name: 'test-b' }]],
  // cel-go strings extension
  ['charAt', "'héllo'.charAt(1)", 'é'],
  ['charAt (at the end)', "'hello'.charAt(5)", ''],
  ['indexOf', "'hello mellow'.indexOf('ello')", 1],
  ['indexOf (from)', "'hello mellow'.indexOf('ello', 2)", 7],
  ['indexOf (empty)', "'hello mellow'.indexOf('', 2)", 2],
  ['indexOf (from beyond the end)', "'hello mellow'.indexOf('ello', 20)", -1],
  ['indexOf (code points)', "'ta©o😀αT'.indexOf('αT')", 5],
  ['lastIndexOf', "'hello mellow'.lastIndexOf('ello')", 7],
  ['lastIndexOf (from)', "'hello mellow'.lastIndexOf('ello', 6)", 1],
  ['lastIndexOf (empty)', "'hello mellow'.lastIndexOf('')", 12],
  ['lastIndexOf (from beyond the end)', "'hello mellow'.lastIndexOf('ello', 20)", -1],
  ['lowerAscii (ASCII only)', "'TacoCÆt Xii'.lowerAscii()", 'tacocÆt xii'],
  ['upperAscii (ASCII only)', "'TacoCÆt Xii'.upperAscii()", 'TACOCÆT XII'],
  ['lowerAscii on dyn', "body.items.map(x, (x + 'Q').lowerAscii())", ['bq', 'aq', 'cq']],
  ['replace', "'hello hello'.replace('he', 'we')", 'wello wello'],
  ['replace (n)', "'hello hello'.replace('he', 'we', 1)", 'wello hello'],
  ['replace (n = 0)', "'hello hello'.replace('he', 'we', 0)", 'hello hello'],
  ['replace (n < 0)', "'hello hello'.replace('he', 'we', -1)", 'wello wello'],
  ['replace (empty pattern)', "'héllo'.replace('', '_')", '_h_é_l_l_o_'],
  ['replace (Triggers\' doc example)', "'my place'.replace('my ',' ')", ' place'],
  ['replace (n, Triggers\' doc example: no "th " in the text)', "'this that another'.replace('th ',' ', 2)", 'this that another'],
  ['split (limit 0)', "'hello hello hello'.split(' ', 0)", []],
  ['split (limit 1)', "'hello hello hello'.split(' ', 1)", ['hello hello hello']],
  ['split (limit 2)', "'hello hello hello'.split(' ', 2)", ['hello', 'hello hello']],
  ['split (limit < 0)', "'hello hello hello'.split(' ', -1)", ['hello', 'hello', 'hello']],
  ['split (empty separator: code points)', "'a😀b'.split('')", ['a', '😀', 'b']],
  ['substring', "'tacocat'.substring(4)", 'cat'],
  ['substring (end)', "'tacocat'.substring(0, 4)", 'taco'],
  ['substring (code points)', "'😀ab'.substring(1)", 'ab'],
  ['trim', "'  \\ttrim\\n    '.trim()", 'trim'],
  ['trim (Unicode spaces, not zero-width ones)', "'\\u00a0\\u2003x\\u200b'.trim()", 'x\u200b'],
  ['join', "['hello', 'mellow'].join()", 'hellomellow'],
  ['join (separator)', "['hello', 'mellow'].join(' ')", 'hello mellow'],
  ['join (empty list)', "[].join('/')", ''],
  ['strings.quote', "strings.quote('single-quote with \"double quote\"')", '"single-quote with \\"double quote\\""'],
  ['strings.quote (escapes)', "strings.quote('two escape sequences \\a\\n')", '"two escape sequences \\a\\n"'],
  ['reverse (string)', "'gums'.reverse()", 'smug'],
  ['format %s', "'%s, %s, %s, %s'.format(['str', true, null, 2.5])", 'str, true, null, 2.5'],
  ['format %s (list, map sorted by key)', "'%s %s'.format([[1, 'a'], {'b': 1.0, 'a': [2]}])", '[1, a] {a: [2], b: 1}'],
  ['format %s (timestamp, duration, type)', "'%s %s %s'.format([timestamp('2023-02-03T23:31:20Z'), duration('1h45m47s'), type(1)])", '2023-02-03T23:31:20Z 6347s int'],
  ['format %d', "'%d %d %d'.format([-42, 42u, 2.5])", '-42 42 2.5'],
  ['format %f', "'%f %.1f %.3f'.format([3.14, 2.25, 1])", '3.140000 2.2 1.000'],
  ['format %e', "'%e %.2e'.format([2.71828, 1052u])", '2.718280e+00 1.05e+03'],
  ['format %b %o', "'%b %b %o'.format([5, true, 30])", '101 1 36'],
  ['format %x %X', "'%x %X %x'.format([26, 26, 'hi'])", '1a 1A 6869'],
  ['format %%', "'100%% %s'.format(['sure'])", '100% sure'],
  // cel-go encoders extension
  ['base64.decode', "string(base64.decode('aGVsbG8='))", 'hello'],
  ['base64.decode (unpadded)', "base64.decode('aGVsbG8') == b'hello'", true],
  ['base64.encode', "base64.encode(b'hello')", 'aGVsbG8='],
  // cel-go sets extension
  ['sets.contains', 'sets.contains([1, 2, 3, 4], [2, 3])', true],
  ['sets.contains (numbers compare across types)', 'sets.contains([1, 2.0, 3u], [1.0, 2u, 3])', true],
  ['sets.contains (empty)', 'sets.contains([], [1])', false],
  ['sets.equivalent', 'sets.equivalent([1, 2, 3], [3u, 2.0, 1])', true],
  ['sets.equivalent (sizes differ)', 'sets.equivalent([1], [1, 1])', true],
  ['sets.intersects', 'sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])', true],
  ['sets.intersects (empty)', 'sets.intersects([1], [])', false],
  // cel-go math extension
  ['math.greatest', 'math.greatest(-42.0, -21.5, -100.0)', -21.5],
  ['math.greatest (list)', 'math.greatest([1, 5, 3])', 5],
  ['math.greatest (mixed types)', 'math.greatest(1u, -2, 2.5)', 2.5],
  ['math.greatest (one argument)', 'math.greatest(1)', 1],
  ['math.least', 'math.least(-42.0, -21.5, -100.0)', -100],
  ['math.least (list)', 'math.least([3.5, 1.5])', 1.5],
  ['math.least (ties keep the first)', 'type(math.least(1, 1.0)) == int', true],
  ['math.abs', 'math.abs(-1)', 1],
  ['math.abs (double, uint)', 'math.abs(-1.5) == 1.5 && math.abs(2u) == 2u', true],
  ['math.sign', 'math.sign(-42)', -1],
  ['math.sign (double, uint)', 'math.sign(-2.5) == -1.0 && math.sign(0u) == 0u', true],
  ['math.ceil', 'math.ceil(-1.2)', -1],
  ['math.floor', 'math.floor(-1.2)', -2],
  ['math.round (ties away from zero)', '[math.round(1.5), math.round(-1.5), math.round(1.2)]', [2, -2, 1]],
  ['math.trunc', 'math.trunc(-1.3)', -1],
  ['math.isNaN', 'math.isNaN(0.0/0.0)', true],
  ['math.isInf', 'math.isInf(1.0/0.0)', true],
  ['math.isFinite', 'math.isFinite(0.0/0.0)', false],
  ['math.sqrt', 'math.sqrt(81)', 9],
  ['math.sqrt (double, uint)', 'math.sqrt(985.25) == 31.388692231439016 && math.sqrt(25u) == 5.0', true],
  ['math.sqrt (negative → NaN)', 'math.isNaN(math.sqrt(-15))', true],
  ['math.bitAnd', 'math.bitAnd(-3, -5)', -7],
  ['math.bitAnd (uint)', 'math.bitAnd(3u, 2u) == 2u', true],
  ['math.bitOr', 'math.bitOr(-2, -4)', -2],
  ['math.bitOr (uint)', 'math.bitOr(1u, 2u) == 3u', true],
  ['math.bitXor', 'math.bitXor(1, 3)', 2],
  ['math.bitXor (uint)', 'math.bitXor(3u, 5u) == 6u', true],
  ['math.bitNot', 'math.bitNot(-1)', 0],
  ['math.bitNot (uint)', 'math.bitNot(0u) == 18446744073709551615u', true],
  ['math.bitShiftLeft', 'math.bitShiftLeft(-1, 2)', -4],
  ['math.bitShiftLeft (uint, ≥ 64)', 'math.bitShiftLeft(1u, 200) == 0u', true],
  ['math.bitShiftRight (no sign extension)', 'math.bitShiftRight(-1, 60)', 15],
  ['math.bitShiftRight (uint)', 'math.bitShiftRight(1024u, 2) == 256u', true],
  // cel-go lists extension
  ['lists.range', 'lists.range(5)', [0, 1, 2, 3, 4]],
  ['slice', '[1, 2, 3, 4].slice(1, 3)', [2, 3]],
  ['slice (empty)', '[1, 2, 3, 4].slice(4, 4)', []],
  ['flatten', '[1, [2, [3, 4]]].flatten()', [1, 2, [3, 4]]],
  ['flatten (depth)', '[1, [2, [3, [4]]]].flatten(2)', [1, 2, 3, [4]]],
  ['distinct', "[1, 2.0, 'c', 3, 'c', 1].distinct()", [1, 2, 'c', 3]],
  ['reverse (list)', '[5, 3, 1, 2].reverse()', [2, 1, 3, 5]],
  ['sort', 'body.items.sort()', ['a', 'b', 'c']],
  ['sort (timestamps)', "[timestamp('2024-01-01T00:00:00Z'), timestamp('2023-01-01T00:00:00Z')].sort()[0] == timestamp('2023-01-01T00:00:00Z')", true],
  ['sortBy', 'body.people.sortBy(p, p.age).map(p, p.name)', ['al', 'bo']],
  ['sortBy (stable, computed key)', "['bb', 'a', 'cc', 'd'].sortBy(s, size(s))", ['a', 'd', 'bb', 'cc']],
  // standard macros
  ['has', 'has(body.n) && !has(body.missing)', true],
  ['all', 'body.items.all(x, size(x) == 1)', true],
  ['exists', "body.items.exists(x, x == 'a')", true],
  ['exists_one', "body.items.exists_one(x, x > 'a')", false],
  ['map', "body.items.map(x, x + '!')", ['b!', 'a!', 'c!']],
  ['map (filter)', "body.items.map(x, x != 'a', x)", ['b', 'c']],
  ['filter', "body.items.filter(x, x != 'b')", ['a', 'c']],
  // standard functions and operators
  ['in (list, map)', "'a' in body.items && 'n' in body", true],
  ['size', "size(body.items) + body.items.size() + size('héllo') + size(b'abc') + size({'a': 1})", 15],
  ['matches', "extensions.changed_files.matches('^src/')", true],
  ['startsWith', "'refs/heads/x'.startsWith('refs/')", true],
  ['endsWith', "'a.go'.endsWith('.go')", true],
  ['contains', "'hello'.contains('ell')", true],
  ['int', "int('12') + int(2.9) + int(3u)", 17],
  ['uint', "uint(3) == 3u && uint('4') == 4u", true],
  ['double', "double('1.5') + double(1)", 2.5],
  ['string', "string(1) + string(1.5) + string(true) + string(b'x') + string(2u)", '11.5truex2'],
  ['bytes', "bytes('hi') == b'hi'", true],
  ['bool', "bool('true') && !bool('false')", true],
  ['dyn', 'dyn(1) == 1', true],
  ['type', "type(1) == int && type('a') == string && type(body) == map", true],
  ['timestamp', "string(timestamp('2023-02-03T23:31:20Z') + duration('1h'))", '2023-02-04T00:31:20Z'],
  ['duration', "duration('1h30m') == duration('90m')", true],
  ['timestamp accessors (UTC)', "[timestamp('2023-02-03T23:31:20.123Z').getFullYear(), timestamp('2023-02-03T23:31:20.123Z').getMonth(), timestamp('2023-02-03T23:31:20.123Z').getDate(), timestamp('2023-02-03T23:31:20.123Z').getDayOfMonth(), timestamp('2023-02-03T23:31:20.123Z').getDayOfYear(), timestamp('2023-02-03T23:31:20.123Z').getDayOfWeek(), timestamp('2023-02-03T23:31:20.123Z').getHours(), timestamp('2023-02-03T23:31:20.123Z').getMinutes(), timestamp('2023-02-03T23:31:20.123Z').getSeconds(), timestamp('2023-02-03T23:31:20.123Z').getMilliseconds()]", [2023, 1, 3, 2, 33, 5, 23, 31, 20, 123]],
  ['timestamp accessors (IANA time zone)', "[timestamp('2023-02-03T23:31:20.123Z').getHours('America/New_York'), timestamp('2023-02-03T23:31:20.123Z').getDate('Asia/Tokyo'), timestamp('2024-03-10T07:30:00Z').getHours('America/New_York')]", [18, 4, 3]],
  ['timestamp accessors (fixed offset)', "[timestamp('2023-12-31T23:31:20Z').getFullYear('+01:00'), timestamp('2023-02-03T23:31:20Z').getHours('-02:30'), timestamp('2023-02-03T23:31:20Z').getMinutes('-02:30'), timestamp('2023-02-03T23:31:20Z').getDayOfWeek('02:00')]", [2024, 21, 1, 6]],
  ['duration accessors', "[duration('1h30m').getHours(), duration('1h30m').getMinutes(), duration('1h30m').getSeconds(), duration('1h30m').getMilliseconds()]", [1, 90, 5400, 5400000]],
];

/** [case, expression, error cel-go gives (at parse/check time or at run time)]. */
const ERRORS: Array<[string, string, RegExp]> = [
  ['parseJSON of a non-object (Triggers decodes into a map)', "'[1]'.parseJSON()", /failed to decode '\[1\]' in parseJSON/],
  ['parseYAML of bad YAML', "'a: [1'.parseYAML()", /failed to decode 'a: \[1' in parseYAML/],
  ['charAt out of range', "'hello'.charAt(-1)", /index out of range: -1/],
  ['indexOf negative offset', "'hello mellow'.indexOf('ello', -1)", /index out of range: -1/],
  ['lastIndexOf negative offset', "'hello mellow'.lastIndexOf('ello', -1)", /index out of range: -1/],
  ['substring negative', "'tacocat'.substring(-1)", /index out of range: -1/],
  ['substring range reversed', "'tacocat'.substring(2, 1)", /invalid substring range\. start: 2, end: 1/],
  ['substring beyond the end', "'tacocat'.substring(1, 50)", /index out of range: 50/],
  ['join of non-strings', "dyn([1, 2]).join()", /join/],
  ['lowerAscii on an int names lowerAscii', '(1).lowerAscii()', /lowerAscii/],
  ['format: clause without argument', "'%s %s'.format(['a'])", /index 1 out of range/],
  ['format: unused argument', "'%s'.format(['a', 'b'])", /too many arguments supplied to string.format \(expected 1, got 2\)/],
  ['format: wrong argument type', "'%d'.format(['x'])", /decimal clause can only be used on ints, uints, and doubles, was given string/],
  ['format: unknown clause', "'%z'.format([1])", /unrecognized formatting clause "z"/],
  ['format: precision over 100', "'%.101f'.format([1.0])", /precision 101 exceeds maximum allowed precision 100/],
  ['base64.decode of bad input', "base64.decode('a!b')", /illegal base64 data/],
  ['base64.encode of a string', "base64.encode('hello')", /no matching overload/],
  ['math.greatest without arguments', 'math.greatest()', /math.greatest\(\) requires at least one argument/],
  ['math.greatest of a non-number', "math.greatest('a')", /math.greatest\(\) invalid single argument value/],
  ['math.least of literal non-numbers', 'math.least(1, true)', /math.least\(\) simple literal arguments must be numeric/],
  ['math.least of an empty list', 'math.least(dyn([]))', /must not be empty/],
  ['math.abs overflow', 'math.abs(-9223372036854775807 - 1)', /integer overflow/],
  ['math.bitShiftLeft negative', 'math.bitShiftLeft(1, -1)', /math.bitShiftLeft\(\) negative offset: -1/],
  ['math.ceil of an int', 'math.ceil(1)', /no matching overload/],
  ['slice reversed', '[1, 2, 3, 4].slice(3, 0)', /cannot slice\(3, 0\), start index must be less than or equal to end index/],
  ['slice beyond the end', '[1, 2, 3, 4].slice(0, 10)', /cannot slice\(0, 10\), list is length 4/],
  ['slice negative', '[1, 2, 3, 4].slice(-5, 10)', /cannot slice\(-5, 10\), negative indexes not supported/],
  ['flatten negative depth', '[1, [2]].flatten(-1)', /level must be non-negative/],
  ['sort of mixed types', "['d', 3, 2, 'c'].sort()", /list elements must have the same type/],
  ['sortBy on mixed key types', "[1, 'a'].sortBy(x, x)", /same type/],
  ['truncate negative', "'abc'.truncate(-1)", /negative/],
  ['compareSecret with a missing Secret', "'x'.compareSecret('token', 'absent')", /absent not found/],
  ['double times int (Triggers\' numbers note)', 'dyn(1.5) * 3', /no such overload/],
  ['matches with a bad pattern', "'x'.matches('[')", /regular expression/],
  ['cel.bind: bindings extension not enabled by Triggers', "cel.bind(x, 'ab', x + x)", /Tekton Triggers does not enable/],
  ['optional field selection: optional types not enabled by Triggers', "body.?missing.orValue('d')", /Tekton Triggers does not enable cel-go's optional types/],
  ['optional.of: optional types not enabled by Triggers', 'optional.of(1)', /Tekton Triggers does not enable cel-go's optional types/],
  ['two-variable comprehensions: not enabled by Triggers', '[1, 2].all(i, v, v > 0)', /two-variable comprehensions are not available/],
  ['timestamp accessor with a bad offset', "timestamp('2023-02-03T23:31:20Z').getHours('+01:75')", /timezone offset minutes out of range/],
  ['timestamp accessor with an unknown zone', "timestamp('2023-02-03T23:31:20Z').getHours('Nowhere/X')", /unknown time zone Nowhere\/X/],
];

/** The rows of docs/triggers.md's CEL table: [name, expression, result] with the expression and result unquoted. */
function docRows(): string[][] {
  const md = readFileSync(new URL('../../../docs/triggers.md', import.meta.url), 'utf8');
  const section = md.slice(md.indexOf('<!-- cel-table -->'), md.indexOf('<!-- /cel-table -->'));
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Function') && !l.startsWith('| ---'))
    .map((l) => l.slice(2, -2).split(' | ').map((c) => c.replace(/^`(.*)`$/, '$1').replace(/\\\|/g, '|')));
}

/** How a table row is written in docs/triggers.md. */
export function docRow(name: string, expr: string, result: string): string {
  const cell = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;
  return `| ${name.replace(/\|/g, '\\|')} | ${cell(expr)} | ${cell(result)} |`;
}

export const DOC_ROWS = [
  ...TABLE.map(([n, e, w]) => [n, e, JSON.stringify(w)]),
  ...ERRORS.map(([n, e, re]) => [n, e, `error ${re.source === '.' ? '(refused)' : re.source.replace(/\\/g, '')}`]),
];

describe('CEL: every function and macro of Triggers\' CEL docs and cel-go\'s extensions', () => {
  it.each(TABLE)('%s: %s', async (_name, expr, want) => {
    expect(await evaluate(expr)).toEqual(want);
  });
  it.each(ERRORS)('%s', async (_name, expr, msg) => {
    await expect(evaluate(expr)).rejects.toThrow(msg);
  });
  it('docs/triggers.md lists exactly these rows', () => {
    expect(docRows()).toEqual(DOC_ROWS.map(([n, e, r]) => [n as string, e as string, r as string]));
  });
});
