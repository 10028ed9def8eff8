import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'docs';

/** Serves the OpenAPI document at /docs (UI) and /docs-json (the document itself). */
export function setupOpenApi(app: INestApplication, version: string): void {
  const document = new DocumentBuilder()
    .setTitle('Burnrate')
    .setDescription('SLO status, alert routing and cost reports per team.')
    .setVersion(version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'API_READ_TOKEN (read API), ADMIN_TOKEN (admin)',
    })
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'WEBHOOK_TOKEN' }, 'webhook-token')
    .build();
  SwaggerModule.setup(OPENAPI_PATH, app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
  });
}
