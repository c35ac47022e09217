import { builder } from './builder.js';
import './types/health.js';
import './types/viewer.js';
import './types/api-token.js';

export const schema = builder.toSchema({ sortSchema: true });
