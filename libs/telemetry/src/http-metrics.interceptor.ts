import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

import { MetricsService } from './metrics.service.js';

// Only what is read from Express' request and response.
interface HttpRequest {
  readonly method: string;
  readonly route?: { readonly path?: string };
}
interface HttpResponse {
  readonly statusCode: number;
  once(event: 'finish', listener: () => void): unknown;
}

/** Counts requests and times them per route template (`/api/v1/teams/:team`, not raw paths). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  private readonly requests;
  private readonly duration;

  constructor(metrics: MetricsService) {
    this.requests = metrics.counter({
      name: 'burnrate_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
    });
    this.duration = metrics.histogram({
      name: 'burnrate_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route template.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const stopTimer = this.duration.startTimer();
    // 'finish' sees the final status, including answers written by exception filters.
    response.once('finish', () => {
      const labels = { method: request.method, route: request.route?.path ?? 'unmatched' };
      stopTimer(labels);
      this.requests.inc({ ...labels, status: String(response.statusCode) });
    });
    return next.handle();
  }
}
