#!/usr/bin/env node
'use strict'
// Runs the built CLI bundle (out/main/cli.js, made by `npm run build`, which `npm ci` runs via prepare).
const { join } = require('node:path')
const { existsSync } = require('node:fs')
const bundle = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(bundle)) {
  process.stderr.write('paraphe: the CLI is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n')
  process.exit(2)
}
require(bundle).main().catch((err) => {
  process.stderr.write('paraphe: ' + (err && err.message ? err.message : String(err)) + '\n')
  process.exit(2)
})
