// The platform's build with its login attempts kept out of the security log, and nothing else
// changed: a stand-in entry for bench:login only, to show what recording every login costs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  SecurityEventWriter,
} = require('../../dist/libs/auth/src/security-log/security-event.writer.js');
const append = SecurityEventWriter.prototype.append;
SecurityEventWriter.prototype.append = function (event) {
  return event.type.startsWith('login_') ? Promise.resolve() : append.call(this, event);
};
require('../../dist/apps/platform/src/main.js');
