export {
  InvalidNotificationError,
  parseNotification,
  type Alert,
  type AlertNotification,
} from './webhook/notification.js';
export {
  acceptsAlert,
  acceptsReport,
  destinationOf,
  destinationId,
  type DestinationOwner,
  routeNotification,
  type Destination,
  type PlannedDelivery,
  type RoutingOptions,
} from './routing/route-notification.js';
export { OutboxStore, type EnqueueResult } from './outbox/outbox.store.js';
export { destinationKeyOf } from './outbox/outbox.store.js';
export {
  DeliveryStore,
  type DeliveryItem,
  type DeliveryLimits,
  type OutboxRow,
} from './delivery/delivery.store.js';
export { ChatTransport, type ChatAnswer, type ChatRequest } from './delivery/chat-transport.js';
export {
  DEFAULT_MIN_INTERVAL_MS,
  DeliveryWorker,
  type DeliveryWorkerDeps,
  type DeliveryWorkerOptions,
  type Prepared,
} from './delivery/delivery-worker.js';
export {
  backoffMs,
  classifyAnswer,
  DEFAULT_RETRY_POLICY,
  retryAfterMs,
  type AttemptOutcome,
  type RetryPolicy,
} from './delivery/retry-policy.util.js';
export {
  SlackBot,
  SlackMessageStore,
  type SlackBotMessage,
  type SlackMessageRef,
} from './delivery/slack-bot.js';
export {
  compileChatTemplate,
  MESSAGE_FORMATS,
  MessageRenderer,
  TemplateRenderError,
  type RenderedMessage,
} from './render/message-renderer.js';
export {
  buildView,
  safeUrl,
  silenceUrl,
  type DeliveryPayload,
  type MessageFormat,
  type MessageView,
  type SloFigures,
  type ViewOptions,
} from './render/message-view.js';
export { defang, escaperOf, escapeView, jsonInner } from './render/escape.util.js';
export { sizeProblem } from './render/chat-limits.util.js';
