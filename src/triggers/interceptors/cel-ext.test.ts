import { describe, expect, it } from 'vitest';
import { compileCel, fromCel } from './cel-env.js';

const run = async (expr: string): Promise<unknown> => fromCel(await compileCel(expr)({ body: { list: [] }, header: {}, extensions: {}, requestURL: '' }));

/** [expression, expected JSON value] — the cel-go extension functions and Triggers' first/last/decodeb64. */
const TABLE: Array<[string, unknown]> = [
  ["'abcb'.replace('b', 'x')", 'axcx'],
  ["'aaa'.replace('a', 'b', 2)", 'bba'],
  ["'aaa'.replace('a', 'b', -1)", 'bbb'],
  ["'aaa'.replace('a', 'b', 0)", 'aaa'],
  ["'héllo'.charAt(1)", 'é'],
  ["'abc'.charAt(3)", ''],
  ["'héllo'.reverse()", 'olléh'],
  ["strings.quote('a\"b\\nc\\td\\\\')", '"a\\"b\\nc\\td\\\\"'],
  ["strings.quote('日本')", '"日本"'],
  ["[1, 2, 3, 4].slice(1, 3)", [2, 3]],
  ["[1, 2].slice(2, 2)", []],
  ["[1, [2, [3]]].flatten()", [1, 2, [3]]],
  ["[1, [2, [3]]].flatten(2)", [1, 2, 3]],
  ["sets.contains([1, 2, 3], [3, 1])", true],
  ["sets.contains([1, 2], [4])", false],
  ["sets.contains([1, 2.0], [2])", true],
  ["sets.equivalent([1, 2, 2], [2, 1])", true],
  ["sets.equivalent([1], [1, 2])", false],
  ["sets.intersects(['a', 'b'], ['c', 'b'])", true],
  ["sets.intersects(['a'], [])", false],
  ['math.greatest(1, 5, 3)', 5],
  ['math.least(4, 2)', 2],
  ['math.greatest(7)', 7],
  ['math.greatest([1, 9, 2])', 9],
  ['math.least([3.5, 1.5])', 1.5],
  ["'aGVsbG8='.decodeb64()", 'hello'],
  ["'%s is %d, %.2f, %e, %b, %o, %x, %X, 100%%'.format(['x', 42, 3.14159, 1234.5, 5, 8, 255, 'hi'])", 'x is 42, 3.14, 1.234500e+03, 101, 10, ff, 6869, 100%'],
  ["'%s %s %s'.format([true, null, [1, 'a']])", 'true null [1, a]'],
  ["'%f'.format([1.5])", '1.500000'],
  ['lists.range(3)', [0, 1, 2]],
  ['lists.range(0)', []],
  ['[3, 1, 2].sort()', [1, 2, 3]],
  ["['b', 'a'].sort()", ['a', 'b']],
  ['[1, 2, 1, 3, 2].distinct()', [1, 2, 3]],
  ['[1, 2, 3].reverse()', [3, 2, 1]],
  ['math.abs(-4)', 4],
  ['math.abs(-1.5)', 1.5],
  ['math.sign(-3)', -1],
  ['math.ceil(1.2)', 2],
  ['math.floor(-1.2)', -2],
  ['math.round(-2.5)', -3],
  ['math.round(2.5)', 3],
  ['math.trunc(-1.7)', -1],
  ["math.isNaN(double('NaN'))", true],
  ["math.isInf(double('-Infinity'))", true],
  ['math.isFinite(1.0)', true],
  ['body.list.first() == null', true],
  ['body.list.last() == null', true],
  ['[1, 2].first()', 1],
  ['[1, 2].last()', 2],
];

const ERRORS: Array<[string, RegExp]> = [
  ["'abc'.charAt(4)", /index out of range/],
  ['[1, 2].slice(2, 1)', /start index must be less than or equal to end index/],
  ['[1, 2].slice(0, 3)', /list is length 2/],
  ['math.greatest([])', /invalid single argument value/],
  ['math.greatest(dyn([]))', /must not be empty/],
  ["[1, 'a'].sort()", /must have the same type/],
  ["'%d'.format(['x'])", /decimal clause can only be used on ints, uints, and doubles, was given string/],
  ["'%s %s'.format(['a'])", /index 1 out of range/],
  ["'%q'.format(['a'])", /unrecognized formatting clause/],
];

describe('CEL extension functions (cel-go strings/lists/sets/math, Triggers first/last/decodeb64)', () => {
  it.each(TABLE)('%s', async (expr, want) => {
    expect(await run(expr)).toEqual(want);
  });
  it.each(ERRORS)('%s fails', async (expr, msg) => {
    await expect(run(expr)).rejects.toThrow(msg);
  });
});
