import { builder } from './builder.js';
import './types/health.js';

export const schema = builder.toSchema({ sortSchema: true });
