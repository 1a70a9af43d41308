'use strict';
// The token input is empty, as when a secret variable is unset (or a pull
// request from a fork cannot see it); the provider is named.
require('./run-task').runTask({ token: '', provider: 'github', scopes: 'repo' });
