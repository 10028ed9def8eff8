// The testing entry point (`@burnrate/catalog/testing`): factories of valid model objects, for
// tests only; production code never imports it.
export {
  aCatalog,
  anAlerting,
  anSlo,
  aService,
  aTarget,
  eventsSli,
  SLI_OF_EVERY_KIND,
  type ServiceOverrides,
  type SloOverrides,
} from './model.factory.js';
