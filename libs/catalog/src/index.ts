export * from './model/catalog.model.js';
export * from './model/defaults.js';
export * from './model/conventions.js';
