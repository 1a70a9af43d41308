'use strict';
// A token the API accepts, asked for a scope it lacks (admin:org).
const { TOKENS } = require('../helpers');
require('./run-task').runTask({ token: TOKENS.valid, scopes: 'repo, admin:org' });
