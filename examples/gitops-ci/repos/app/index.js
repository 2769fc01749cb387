// The demo application: one function, so the pipeline has something to test.
function greet(name) {
  return `Hello, ${name}!`;
}

module.exports = { greet };
