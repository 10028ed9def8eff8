export {
  InvalidNotificationError,
  parseNotification,
  type Alert,
  type AlertNotification,
} from './webhook/notification.js';
export {
  acceptsAlert,
  routeNotification,
  type Destination,
  type PlannedDelivery,
  type RoutingOptions,
} from './routing/route-notification.js';
export { OutboxStore, type EnqueueResult } from './outbox/outbox.store.js';
