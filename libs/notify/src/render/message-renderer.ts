import { readFileSync } from 'node:fs';

import Handlebars from 'handlebars';

import { sizeProblem } from './chat-limits.util.js';
import { escapeView } from './escape.util.js';
import { buildView, type DeliveryPayload, type MessageFormat, type ViewOptions } from './message-view.js';

/** Keys whose values are URLs, colours and timestamps: JSON-escaped, never text-escaped. */
const URL_KEYS: ReadonlySet<string> = new Set(['links', 'url', 'color', 'since']);

/**
 * The most characters a field may take once escaped: inside every service's per-field limits
 * (Slack's 150-character header, 2,000-character fields; Discord's 256-character title and
 * 1,024-character field values) with room for the template's own words around them.
 */
const ESCAPED_LIMITS: Readonly<Record<string, number>> = {
  title: 120,
  text: 1500,
  summary: 600,
  description: 1500,
  name: 200,
  labels: 600,
  severity: 200,
  service: 200,
  slo: 200,
  team: 200,
  alertname: 200,
};

export const MESSAGE_FORMATS: readonly MessageFormat[] = [
  'slack',
  'teams',
  'googlechat',
  'discord',
  'mattermost',
  'webhook',
];

/** A template that does not render to JSON, or renders to a message too big even with one alert. */
export class TemplateRenderError extends Error {}

type Template = (context: unknown) => string;

/** Our own instance: helpers and partials of one renderer never leak into another. */
const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

/** Compiles a chat template. No HTML escaping: every string reaching it is already escaped. */
export function compileChatTemplate(source: string): Template {
  return handlebars.compile(source, { noEscape: true, preventIndent: true });
}

const builtinSource = (format: MessageFormat): string =>
  readFileSync(new URL(`../../templates/${format}.hbs`, import.meta.url), 'utf8');

export interface RenderedMessage {
  body: Record<string, unknown>;
  /** Alerts listed; the rest of `count` are summarised as "... and N more". */
  shown: number;
  count: number;
}

/**
 * Renders alert groups for chat: the view is built and escaped for the format, the format's
 * template (a team's own, or the built-in one) writes the JSON, and a group too big for the
 * service lists as many alerts as fit (found by bisection) and counts the rest.
 */
export class MessageRenderer {
  private readonly builtins = new Map<MessageFormat, Template>();
  private readonly custom = new Map<string, Template>();

  constructor() {
    for (const format of MESSAGE_FORMATS)
      this.builtins.set(format, compileChatTemplate(builtinSource(format)));
  }

  render(
    format: MessageFormat,
    payload: DeliveryPayload,
    options: ViewOptions,
    templateSource?: string,
  ): RenderedMessage {
    const template =
      templateSource === undefined ? this.builtins.get(format)! : this.compiled(templateSource);
    const attempt = (shown: number) => {
      const view = buildView(payload, options, shown);
      const body = parse(template(escapeView(view, format, URL_KEYS, ESCAPED_LIMITS)));
      return { body, shown: view.alerts.length, count: view.count, problem: sizeProblem(format, body) };
    };
    const all = attempt(payload.alerts.length);
    if (!all.problem) return all;
    // Fewer alerts never make a message bigger: bisect for the most that fit.
    let low = 0;
    let high = payload.alerts.length - 1;
    let best = attempt(0);
    if (best.problem)
      throw new TemplateRenderError(`the message is too big even with no alert listed: ${best.problem}`);
    while (low <= high) {
      const mid = (low + high) >> 1;
      const tried = attempt(mid);
      if (tried.problem) high = mid - 1;
      else {
        best = tried;
        low = mid + 1;
      }
    }
    return best;
  }

  private compiled(source: string): Template {
    let template = this.custom.get(source);
    if (!template) {
      template = compileChatTemplate(source);
      this.custom.set(source, template);
    }
    return template;
  }
}

function parse(text: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(text);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new TemplateRenderError('the template must render a JSON object');
    return body as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TemplateRenderError) throw error;
    throw new TemplateRenderError(`the template did not render JSON: ${(error as Error).message}`);
  }
}
