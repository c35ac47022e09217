// Run statuses as the services and GraphQL read them: the engine's transition table is the one definition.
export {
  ACTIVE_STATUSES,
  canCancel,
  canRetry,
  FAILED_STATUSES,
  isSuccess,
  isTerminal,
  rollUp,
  RUN_STATUSES,
  TERMINAL_STATUSES,
  type ChildCounts,
} from '../engine/transitions.js';
