import { Module, type DynamicModule } from '@nestjs/common';

import type { ServerConfig } from './server-config.js';

/** Injection token of the validated {@link ServerConfig}. */
export const SERVER_CONFIG = Symbol('SERVER_CONFIG');

/** Makes the configuration built at boot injectable everywhere; nothing else reads the environment. */
@Module({})
export class ServerConfigModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: ServerConfigModule,
      global: true,
      providers: [{ provide: SERVER_CONFIG, useValue: config }],
      exports: [SERVER_CONFIG],
    };
  }
}
