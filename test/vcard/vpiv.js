#!/usr/bin/env node
// vpiv.js: the same card as vpiv.cjs (which holds the code), under the shared tools' name.
// Usage: see vpiv.cjs. Works while package.json has no "type": "module"; vpiv.cjs works always.
'use strict';
const m = require('./vpiv.cjs');
module.exports = m;
if (require.main === module) m.main(process.argv.slice(2));
