'use strict';
// The token input is empty and the provider is left to auto: nothing tells
// pat-check what kind of token was meant.
require('./run-task').runTask({ token: '', scopes: 'repo' });
