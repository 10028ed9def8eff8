export * from './series.js';
export * from './slo-math.exception.js';
export * from './decimal.util.js';
export * from './duration.util.js';
export * from './burn-rate.util.js';
export * from './alert-policy.util.js';
export * from './status.util.js';
