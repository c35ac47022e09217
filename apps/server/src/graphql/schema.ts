import { builder } from './builder.js';
import './types/health.js';
import './types/viewer.js';
import './types/api-token.js';
import './types/common.js';
import './types/action.js';
import './types/schedule.js';
import './types/user.js';
import './types/role.js';
import './types/job.js';
import './types/run.js';
import './types/run-log.js';
import './types/dispatch.js';
import './types/audit.js';
import './types/definitions.js';
import './types/inbox.js';

export const schema = builder.toSchema({ sortSchema: true });
