// What the services need of actions: the engine's view of the action catalog.
export { ENGINE_DEFAULTS, type ActionCatalog, type ActionDefaults, type ActionUser, type CatalogAction } from '../engine/actions.js';
