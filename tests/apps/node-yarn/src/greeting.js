'use strict';

function greeting(name) {
  return `Hello, ${name || 'yarn'}!`;
}

module.exports = { greeting };
