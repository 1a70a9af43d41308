'use strict';
// An option with a value pat-check cannot read.
const { TOKENS } = require('../helpers');
require('./run-task').runTask({ token: TOKENS.valid, minDaysLeft: 'soon' });
