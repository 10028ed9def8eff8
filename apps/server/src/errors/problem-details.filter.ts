import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import {
  InvalidParameterError,
  isBurnrateError,
  MalformedRequestError,
  UpstreamError,
  type ErrorKind,
} from '@burnrate/contracts';

/** How each kind of library error answers over HTTP. */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unauthorized: HttpStatus.UNAUTHORIZED,
  upstream: HttpStatus.BAD_GATEWAY,
  disabled: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The library's error code, stable for scripts: `grafana-unreachable`. */
  code?: string;
  /** The upstream that failed, for 502s. */
  upstream?: string;
  /** The query or path parameter that was wrong, for 400s. */
  parameter?: string;
}

interface Reply {
  status(code: number): Reply;
  type(contentType: string): Reply;
  send(body: string): void;
}

/**
 * The one place errors become HTTP answers, as `application/problem+json` (RFC 9457): library
 * errors by their kind, Nest's own HTTP exceptions by their status, anything else a 500 whose
 * details stay in the log.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const problem = this.toProblem(error);
    host
      .switchToHttp()
      .getResponse<Reply>()
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(problem));
  }

  toProblem(error: unknown): ProblemDetails {
    if (isBurnrateError(error)) {
      // A malformed request (a bad parameter or body) is a bad request; a bad document (a catalog) is unprocessable.
      const status = error instanceof MalformedRequestError ? 400 : STATUS_BY_KIND[error.kind];
      return {
        ...problem(status, error.message),
        code: error.code,
        ...(error instanceof UpstreamError ? { upstream: error.upstream } : {}),
        ...(error instanceof InvalidParameterError ? { parameter: error.parameter } : {}),
      };
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : error.message;
      return problem(error.getStatus(), detail);
    }
    const bodyError = bodyParserProblem(error);
    if (bodyError) return bodyError;
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'an internal error occurred; it has been logged');
  }
}

/** The JSON body parser's refusals: a body that is not JSON (400), one over the limit (413). */
function bodyParserProblem(error: unknown): ProblemDetails | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed')
    return problem(HttpStatus.BAD_REQUEST, `the body is not valid JSON: ${(error as Error).message}`);
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, `the body is over ${limit ?? 'the'} bytes`);
  }
  return undefined;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const problem = (status: number, detail: string): ProblemDetails => ({
  type: 'about:blank',
  title: TITLES[status] ?? 'Error',
  status,
  detail,
});
