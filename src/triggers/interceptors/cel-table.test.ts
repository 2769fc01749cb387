/**
 * One row per CEL function and macro that Tekton Triggers' CEL docs (docs/cel_expressions.md) and cel-go's
 * extension docs (strings, encoders, sets, math, lists) name, plus the standard macros. docs/triggers.md has the
 * same list as a table.
 */
import { describe, expect, it } from 'vitest';
import { compileCel, fromCel, withCelScope } from './cel-env.js';

const CTX = {
  body: { list: [], items: ['b', 'a', 'c'], n: 2, doc: '{"k":[1,2]}', yaml: 'k: v\nl: [1, 2]', b64: 'aGVsbG8=', people: [{ name: 'bo', age: 40 }, { name: 'al', age: 30 }] },
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
  // Triggers' CEL interceptor variables and functions
  ['body', 'body.n', 2],
  ['header', "header['X-Github-Event'][0]", 'push'],
  ['extensions', 'extensions.changed_files', 'src/a.go,docs/b.md'],
  ['requestURL', 'requestURL', CTX.requestURL],
  ['header.match', "header.match('x-github-event', 'push')", true],
  ['header.match (first value only)', "header.match('content-type', 'x')", false],
  ['header.canonical', "header.canonical('CONTENT-TYPE')", 'application/json'],
  ['truncate', "'28911bbb5a3e'.truncate(7)", '28911bb'],
  ['truncate (bytes, beyond length)', "'abc'.truncate(10)", 'abc'],
  ['split', "'refs/heads/main'.split('/')", ['refs', 'heads', 'main']],
  ['split with limit', "'a/b/c'.split('/', 2)", ['a', 'b/c']],
  ['parseJSON', 'body.doc.parseJSON().k[1]', 2],
  ['parseYAML', 'body.yaml.parseYAML().l', [1, 2]],
  ['parseURL', 'requestURL.parseURL()', { scheme: 'https', host: 'el.example:8443', path: '/hook/path', rawQuery: 'repo=a&repo=b&x=1', fragment: 'frag', query: { repo: 'a,b', x: '1' }, queryStrings: { repo: ['a', 'b'], x: ['1'] }, auth: { username: '', password: '' } }],
  ['parseURL (Triggers\' doc example)', "'https://user:pass@example.com/test/path?s=testing#first'.parseURL()", { scheme: 'https', host: 'example.com', path: '/test/path', rawQuery: 's=testing', fragment: 'first', query: { s: 'testing' }, queryStrings: { s: ['testing'] }, auth: { username: 'user', password: 'pass' } }],
  ['parseJSON (Triggers\' doc example)', `'{"testing":"value"}'.parseJSON().testing == "value"`, true],
  ['parseYAML (Triggers\' doc example)', "'key1: value1\\nkey2: value2\\n'.parseYAML().key1", 'value1'],
  ['replace (Triggers\' doc example)', "'my place'.replace('my ',' ')", ' place'],
  ['compareSecret', "'1234567'.compareSecret('token', 's')", true],
  ['compareSecret (namespace)', "'nope'.compareSecret('token', 's', 'default')", false],
  ['marshalJSON (map)', "{'a': [1, 'x']}.marshalJSON()", '{"a":[1,"x"]}'],
  ['marshalJSON (list)', 'body.items.marshalJSON()', '["b","a","c"]'],
  ['decodeb64 (deprecated)', 'body.b64.decodeb64()', 'hello'],
  ['translate', "'Hello-World'.translate('[A-Z]', 'x')", 'xello-xorld'],
  ['translate (groups)', "'v1.2'.translate('v(\\\\d+)\\\\.(\\\\d+)', '${2}.${1}')", '2.1'],
  ['first', 'body.items.first()', 'b'],
  ['first (empty → null)', 'body.list.first()', null],
  ['last', 'body.items.last()', 'c'],
  ['last (empty → null)', 'body.list.last()', null],
  // cel-go strings extension
  ['charAt', "'héllo'.charAt(1)", 'é'],
  ['indexOf', "'hello'.indexOf('l')", 2],
  ['indexOf (from)', "'hello'.indexOf('l', 3)", 3],
  ['lastIndexOf', "'hello'.lastIndexOf('l')", 3],
  ['lastIndexOf (from)', "'hello'.lastIndexOf('l', 2)", 2],
  ['lowerAscii (ASCII only)', "'ÀB-Cé'.lowerAscii()", 'Àb-cé'],
  ['upperAscii (ASCII only)', "'àb-cÉ'.upperAscii()", 'àB-CÉ'],
  ['lowerAscii on dyn', "body.items.map(x, (x + 'Q').lowerAscii())", ['bq', 'aq', 'cq']],
  ['replace', "'abcb'.replace('b', 'x')", 'axcx'],
  ['replace (n)', "'aaa'.replace('a', 'b', 2)", 'bba'],
  ['format', "'%s-%d-%.1f'.format(['a', 1, 2.25])", 'a-1-2.2'],
  ['join', "['a', 'b'].join()", 'ab'],
  ['join (separator)', "['a', 'b'].join('/')", 'a/b'],
  ['strings.quote', "strings.quote('a\"b')", '"a\\"b"'],
  ['reverse (string)', "'abc'.reverse()", 'cba'],
  ['substring', "'tektite'.substring(2)", 'ktite'],
  ['substring (end)', "'tektite'.substring(2, 4)", 'kt'],
  ['trim', "'  x \\t'.trim()", 'x'],
  // encoders
  ['base64.decode', "string(base64.decode('aGVsbG8='))", 'hello'],
  ['base64.encode', "base64.encode(b'hello')", 'aGVsbG8='],
  // sets
  ['sets.contains', 'sets.contains([1, 2, 3], [3, 1])', true],
  ['sets.equivalent', 'sets.equivalent([1, 2, 2], [2, 1])', true],
  ['sets.intersects', "sets.intersects(['a'], ['b', 'a'])", true],
  // math
  ['math.greatest', 'math.greatest(1, 5, 3)', 5],
  ['math.least', 'math.least([3.5, 1.5])', 1.5],
  ['math.abs', 'math.abs(-4)', 4],
  ['math.sign', 'math.sign(-2.5)', -1],
  ['math.ceil', 'math.ceil(1.2)', 2],
  ['math.floor', 'math.floor(-1.2)', -2],
  ['math.round', 'math.round(-2.5)', -3],
  ['math.trunc', 'math.trunc(-1.7)', -1],
  ['math.isNaN', "math.isNaN(double('NaN'))", true],
  ['math.isInf', "math.isInf(double('-Infinity'))", true],
  ['math.isFinite', 'math.isFinite(1.0)', true],
  ['math.sqrt', 'math.sqrt(16.0)', 4],
  ['math.sqrt (int)', 'math.sqrt(2) > 1.414', true],
  ['math.bitAnd', 'math.bitAnd(6, 3)', 2],
  ['math.bitOr', 'math.bitOr(6, 3)', 7],
  ['math.bitXor', 'math.bitXor(6, 3)', 5],
  ['math.bitNot', 'math.bitNot(0)', -1],
  ['math.bitShiftLeft', 'math.bitShiftLeft(1, 4)', 16],
  ['math.bitShiftRight', 'math.bitShiftRight(-1, 60)', 15],
  // lists
  ['lists.range', 'lists.range(3)', [0, 1, 2]],
  ['slice', '[1, 2, 3, 4].slice(1, 3)', [2, 3]],
  ['flatten', '[1, [2, [3]]].flatten()', [1, 2, [3]]],
  ['flatten (depth)', '[1, [2, [3]]].flatten(2)', [1, 2, 3]],
  ['distinct', '[1, 2, 1, 3].distinct()', [1, 2, 3]],
  ['reverse (list)', '[1, 2, 3].reverse()', [3, 2, 1]],
  ['sort', 'body.items.sort()', ['a', 'b', 'c']],
  ['sortBy', 'body.people.sortBy(p, p.age).map(p, p.name)', ['al', 'bo']],
  ['sortBy (stable, computed key)', "['bb', 'a', 'cc', 'd'].sortBy(s, size(s))", ['a', 'd', 'bb', 'cc']],
  // standard macros and functions
  ['has', 'has(body.n) && !has(body.missing)', true],
  ['all', 'body.items.all(x, size(x) == 1)', true],
  ['exists', "body.items.exists(x, x == 'a')", true],
  ['exists_one', "body.items.exists_one(x, x > 'a')", false],
  ['map', "body.items.map(x, x + '!')", ['b!', 'a!', 'c!']],
  ['map (filter)', "body.items.map(x, x != 'a', x)", ['b', 'c']],
  ['filter', "body.items.filter(x, x != 'b')", ['a', 'c']],
  ['in', "'a' in body.items", true],
  ['matches', "extensions.changed_files.matches('^src/')", true],
  ['startsWith', "'refs/heads/x'.startsWith('refs/')", true],
  ['endsWith', "'a.go'.endsWith('.go')", true],
  ['contains', "'hello'.contains('ell')", true],
  ['size', 'size(body.items) + body.items.size()', 6],
  ['cel.bind', "cel.bind(x, 'ab', x + x)", 'abab'],
  ['optional', "body.?missing.orValue('d')", 'd'],
];

const ERRORS: Array<[string, string, RegExp]> = [
  ['lowerAscii on an int names lowerAscii', '(1).lowerAscii()', /lowerAscii/],
  ['sortBy on mixed key types', "[1, 'a'].sortBy(x, x)", /same comparable type/],
  ['math.bitShiftLeft negative', 'math.bitShiftLeft(1, -1)', /negative offset/],
  ['compareSecret with a missing Secret', "'x'.compareSecret('token', 'absent')", /absent not found/],
];

describe('CEL: every function and macro of Triggers\' CEL docs and cel-go\'s extensions', () => {
  it.each(TABLE)('%s: %s', async (_name, expr, want) => {
    expect(await evaluate(expr)).toEqual(want);
  });
  it.each(ERRORS)('%s', async (_name, expr, msg) => {
    await expect(evaluate(expr)).rejects.toThrow(msg);
  });
});
