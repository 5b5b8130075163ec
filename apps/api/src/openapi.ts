import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The API's OpenAPI document, as /api/docs-json serves it. The web app's client types are
 * generated from it (`npm run api:types`), so it must be built from the app the CLI plugin
 * compiled (dist/), where the DTOs carry their schema.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('keydesk API')
      .setDescription(
        'The back office for serving key enterprises: the ledger, visits, staffing-demand and problem-resolution lists, ' +
          'the dashboard, settings, users and reference data. ' +
          'Log in with POST /api/v1/auth/login, then use "Authorize" with the accessToken. ' +
          'Errors are RFC 9457 problem details (application/problem+json).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  describeErrors(document);
  return document;
}

/** Every operation can fail with a problem detail; describe that shape once and point every operation at it. */
function describeErrors(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ProblemDetails = {
    type: 'object',
    description: 'RFC 9457 problem details',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', example: 'urn:keydesk:error:invalid-input' },
      title: { type: 'string', example: 'Invalid input' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'creditCode must be a valid unified social credit code (GB 32100-2015)' },
      instance: { type: 'string', example: '/api/v1/enterprises' },
      errors: {
        type: 'array',
        description: 'Validation failures, by field',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
  for (const path of Object.values(document.paths)) {
    for (const value of Object.values(path) as unknown[]) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const operation = value as { responses: Record<string, unknown> };
      operation.responses.default ??= {
        description:
          'An error: 400 bad input, 401 no or bad token, 403 role may not, 404 absent or out of scope, ' +
          '409 state or version conflict, 413 body too large, 429 too many failed logins',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
      };
    }
  }
}
