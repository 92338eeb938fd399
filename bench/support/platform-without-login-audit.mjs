// The platform's build with its login attempts kept out of the security log, and nothing else
// changed: a stand-in entry for bench:login only, to show what recording every login costs. A
// login's events are written on their own (`append`) or as a clause of the statement that
// stores its session (`addTo`); both leave them out.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  SecurityEventWriter,
} = require('../../dist/libs/auth/src/security-log/security-event.writer.js');
const { append, addTo } = SecurityEventWriter.prototype;
SecurityEventWriter.prototype.append = function (event) {
  return event.type.startsWith('login_') ? Promise.resolve() : append.call(this, event);
};
SecurityEventWriter.prototype.addTo = function (write, event) {
  if (!event.type.startsWith('login_')) addTo.call(this, write, event);
};
require('../../dist/apps/platform/src/main.js');
