import { NotFoundException, UnauthorizedException, type ArgumentsHost } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { BurnrateError, FeatureDisabledError, InvalidInputError, UpstreamError } from '@burnrate/contracts';

import { ProblemDetailsFilter } from './problem-details.filter.js';

class ConflictingEdit extends BurnrateError {
  readonly kind = 'conflict';
}

/** Runs the filter as Nest would and captures the answer. */
function answer(error: unknown) {
  const sent: { status?: number; type?: string; body?: string } = {};
  const reply = {
    status: (code: number) => ((sent.status = code), reply),
    type: (type: string) => ((sent.type = type), reply),
    send: (body: string) => void (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(error, host);
  return {
    status: sent.status,
    type: sent.type,
    body: JSON.parse(sent.body ?? '{}') as Record<string, unknown>,
  };
}

describe('the problem+json exception filter', () => {
  it("answers the caller's mistakes with 4xx and the library's code", () => {
    expect(answer(new InvalidInputError('invalid-catalog', 'the catalog has 2 errors'))).toEqual({
      status: 422,
      type: 'application/problem+json',
      body: {
        type: 'about:blank',
        title: 'Unprocessable Content',
        status: 422,
        detail: 'the catalog has 2 errors',
        code: 'invalid-catalog',
      },
    });
    expect(answer(new ConflictingEdit('changed-in-grafana', 'edited by alice')).status).toBe(409);
  });

  it('answers an unreachable or refusing upstream with 502, naming it', () => {
    const error = new UpstreamError(
      'grafana-unreachable',
      'Grafana at http://g is unreachable: ECONNREFUSED',
      'Grafana at http://g',
    );
    expect(answer(error)).toMatchObject({
      status: 502,
      body: { code: 'grafana-unreachable', upstream: 'Grafana at http://g', title: 'Bad Gateway' },
    });
  });

  it('answers a feature switched off by configuration with 503', () => {
    expect(
      answer(new FeatureDisabledError('ruler-not-configured', 'set MIMIR_RULER_URL')).body,
    ).toMatchObject({ status: 503, code: 'ruler-not-configured' });
  });

  it("keeps Nest's own HTTP exceptions' status, in the same shape", () => {
    expect(answer(new UnauthorizedException('a valid admin bearer token is required'))).toMatchObject({
      status: 401,
      body: { status: 401, title: 'Unauthorized', detail: 'a valid admin bearer token is required' },
    });
    expect(answer(new NotFoundException()).status).toBe(404);
  });

  it('answers anything else with a 500 that leaks nothing', () => {
    const { status, body } = answer(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(status).toBe(500);
    expect(body['detail']).toBe('an internal error occurred; it has been logged');
  });
});
