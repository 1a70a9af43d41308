'use strict';
// A token the API accepts, asked for a scope it has.
const { TOKENS } = require('../helpers');
require('./run-task').runTask({ token: TOKENS.valid, scopes: 'repo' });
