// `npm test`: a failing assertion fails the pipeline before any image is built.
const assert = require('node:assert');
const { greet } = require('./index.js');

assert.strictEqual(greet('tektite'), 'Hello, tektite!');
console.log('demo-app: 1 test passed');
