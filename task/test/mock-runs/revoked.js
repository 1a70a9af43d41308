'use strict';
// A well-formed token the API rejects with 401 Bad credentials.
const { TOKENS } = require('../helpers');
require('./run-task').runTask({ token: TOKENS.revoked, scopes: 'repo' });
