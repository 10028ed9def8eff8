import type { Catalog } from '@burnrate/catalog';

/** Sloth-shaped rule groups for a catalog (see sloth-shape.mjs). */
export function slothGroups(catalog: Catalog): unknown[];
