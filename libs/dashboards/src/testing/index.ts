// The testing entry point (`@burnrate/dashboards/testing`), for tests only.
export { aService } from './catalog.factory.js';
