'use strict';

function greeting(name) {
  return `Hello, ${name || 'berry'}!`;
}

module.exports = { greeting };
