import type { Service } from '@burnrate/catalog';
import { aService as aBareService, type ServiceOverrides } from '@burnrate/catalog/testing';

/**
 * A service with Prometheus (OpenTelemetry names), Loki and Tempo telemetry, so every panel of its
 * dashboard is drawn; SLOs inherit its name and team. The other model factories are the
 * catalog's.
 */
export function aService(overrides: ServiceOverrides = {}): Service {
  const name = overrides.name ?? 'checkout';
  return aBareService({
    telemetry: {
      prometheus: { matchers: `service_name="${name}"`, convention: 'opentelemetry' },
      loki: { selector: `{service_name="${name}"}`, errorFilter: '| detected_level="error"' },
      tempo: { serviceName: name, query: `{resource.service.name="${name}"}` },
    },
    ...overrides,
  });
}
