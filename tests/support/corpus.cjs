'use strict';
// Where the corpus of real logs is, for the JavaScript tests: the same rule as
// tests/support/corpus.h for the C++ ones. TBVIEW_CORPUS when set, else
// ../shared/corpus beside the checkout (where CI keeps it), laid out as files/
// (the logs) and expected/<path>.json (TensorBoard's own reading). Tests that
// need it skip, naming CORPUS, when HAVE_CORPUS is false.
// CommonJS, so both the .cjs and the .mjs tests load it.

const fs = require('node:fs');
const path = require('node:path');

const CORPUS =
  process.env.TBVIEW_CORPUS || path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const HAVE_CORPUS =
  fs.existsSync(path.join(CORPUS, 'files')) && fs.existsSync(path.join(CORPUS, 'expected'));

module.exports = { CORPUS, HAVE_CORPUS };
