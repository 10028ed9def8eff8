import { Global, Module } from '@nestjs/common';

import { CatalogProvider } from './catalog.provider.js';

/** The one holder of the catalog, for every module that reads it. */
@Global()
@Module({ providers: [CatalogProvider], exports: [CatalogProvider] })
export class CatalogModule {}
